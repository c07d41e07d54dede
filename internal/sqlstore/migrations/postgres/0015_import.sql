-- Imports from an InstaMERN deployment (gramd import instamern).
--
-- legacy_import has one row (name 'latest') once an import finished: started_at is
-- the start of the latest, before which a legacy token must have been
-- issued to be adopted; tokens_ended is set for good by the operator's
-- cut-off of every legacy token.
CREATE TABLE legacy_import (
	name         TEXT PRIMARY KEY,
	started_at   BIGINT NOT NULL,
	tokens_ended BOOLEAN NOT NULL DEFAULT FALSE
);

-- A legacy token (HS256, "id" claim, no session) seen for the first time
-- gets a session of its own; token_hash is the SHA-256 hex of the token.
-- The row outlives the session, so a revoked legacy token stays revoked.
CREATE TABLE legacy_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	session_id TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX legacy_tokens_user ON legacy_tokens(user_id);

-- The original's "new" flag of a notification, false only when imported so.
ALTER TABLE notifications ADD COLUMN seen BOOLEAN NOT NULL DEFAULT FALSE;
