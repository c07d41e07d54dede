-- Suspension by staff (suspended_at 0 = not suspended; suspended_by is a
-- user id or "cli") and the audit log of staff actions. actor_id has no
-- foreign key: the log outlives the accounts it names.
ALTER TABLE users ADD COLUMN suspended_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN suspended_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN suspend_reason TEXT NOT NULL DEFAULT '';
-- The staff user list pages newest first.
CREATE INDEX users_created ON users(created_at, id);

CREATE TABLE audit_log (
	id          TEXT PRIMARY KEY,
	actor_id    TEXT NOT NULL,
	action      TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id   TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log(created_at, id);
