-- Media to remove from the blob store: an object key, or a prefix ending in
-- "/" (an account's media). A key is queued in the transaction that drops
-- its last reference and stays until the blob store confirms the removal.
-- next_attempt_at 0 is due at once; a claim pushes it out by its lease.
CREATE TABLE blob_deletions (
	blob_key        TEXT PRIMARY KEY,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	claim_token     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX blob_deletions_due ON blob_deletions(next_attempt_at);
