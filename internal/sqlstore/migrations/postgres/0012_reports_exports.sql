-- Reports of content or accounts, filed by users and resolved by staff.
-- A report keeps a snapshot of what it is about (author, text, photo key)
-- so that it outlives the content. Like the audit log it has no foreign
-- keys: it outlives the accounts it names. One open report per reporter
-- and target (reports_open); the staff queue pages by state, newest first.
CREATE TABLE reports (
	id              TEXT PRIMARY KEY,
	reporter_id     TEXT NOT NULL,
	target_type     TEXT NOT NULL,
	target_id       TEXT NOT NULL,
	reason          TEXT NOT NULL,
	note            TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL,
	author_id       TEXT NOT NULL DEFAULT '',
	author_username TEXT NOT NULL DEFAULT '',
	content_text    TEXT NOT NULL DEFAULT '',
	photo_key       TEXT NOT NULL DEFAULT '',
	post_id         TEXT NOT NULL DEFAULT '',
	content_at      BIGINT NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL,
	resolved_at     BIGINT NOT NULL DEFAULT 0,
	resolved_by     TEXT NOT NULL DEFAULT '',
	action          TEXT NOT NULL DEFAULT '',
	resolution      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX reports_open ON reports(reporter_id, target_type, target_id) WHERE state = 'open';
CREATE INDEX reports_state ON reports(state, created_at, id);
CREATE INDEX reports_created ON reports(created_at, id);
CREATE INDEX reports_reporter ON reports(reporter_id, created_at, id);

-- Account exports: a zip built in the background and kept in the blob
-- store until expires_at. One pending export per user (exports_pending).
CREATE TABLE exports (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	state      TEXT NOT NULL,
	blob_key   TEXT NOT NULL DEFAULT '',
	size       BIGINT NOT NULL DEFAULT 0,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	ready_at   BIGINT NOT NULL DEFAULT 0,
	expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX exports_pending ON exports(user_id) WHERE state = 'pending';
CREATE INDEX exports_user ON exports(user_id, created_at, id);
CREATE INDEX exports_state ON exports(state, created_at, id);
CREATE INDEX exports_expires ON exports(state, expires_at);

-- An export pages through a user's comments and likes by time.
CREATE INDEX comments_author_created ON comments(author_id, created_at, id);
CREATE INDEX likes_user_created ON likes(user_id, created_at, post_id);
