-- Email change by confirmation: the pending new address of an account and
-- the SHA-256 of the token mailed to it (one pending change per account).
CREATE TABLE email_changes (
	user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	new_email  TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	expires_at BIGINT NOT NULL
);

-- Addresses that bounced for good or complained (SES via SNS): the outbox
-- sender never sends to them.
CREATE TABLE mail_suppressions (
	email      TEXT PRIMARY KEY,
	reason     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- The claim a sender holds on a message: only the holder of the latest
-- claim may record the outcome, so a sender whose lease ran out cannot
-- overwrite the result of the sender that claimed the message after it.
ALTER TABLE mail_outbox ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';
