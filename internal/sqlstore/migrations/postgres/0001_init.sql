-- Times are Unix milliseconds (UTC); ids are 24-hex strings made in Go.
CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	email         TEXT NOT NULL UNIQUE,
	firstname     TEXT NOT NULL,
	lastname      TEXT NOT NULL,
	bio           TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	photo_key     TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL DEFAULT 'user',
	active        BOOLEAN NOT NULL DEFAULT TRUE,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	user_agent TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	last_used  BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE follows (
	follower_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	followee_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at  BIGINT NOT NULL,
	PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows(followee_id, created_at);
CREATE INDEX follows_follower ON follows(follower_id, created_at);

CREATE TABLE posts (
	id            TEXT PRIMARY KEY,
	author_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	caption       TEXT NOT NULL DEFAULT '',
	photo_key     TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	like_count    INTEGER NOT NULL DEFAULT 0,
	comment_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_created ON posts(created_at, id);
CREATE INDEX posts_author ON posts(author_id, created_at, id);

CREATE TABLE likes (
	post_id    TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (post_id, user_id)
);
CREATE INDEX likes_user ON likes(user_id);
CREATE INDEX likes_post_created ON likes(post_id, created_at);

CREATE TABLE comments (
	id         TEXT PRIMARY KEY,
	post_id    TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	author_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX comments_post ON comments(post_id, created_at, id);
CREATE INDEX comments_author ON comments(author_id);

CREATE TABLE stories (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	photo_key  TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX stories_expires ON stories(expires_at);
CREATE INDEX stories_user ON stories(user_id);

-- post_id is '' for follows so that the unique key also dedupes them.
CREATE TABLE notifications (
	id           TEXT PRIMARY KEY,
	recipient_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	actor_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,
	post_id      TEXT NOT NULL DEFAULT '',
	dedupe       TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	UNIQUE (recipient_id, dedupe)
);
CREATE INDEX notifications_recipient ON notifications(recipient_id, created_at);
CREATE INDEX notifications_post ON notifications(post_id);
CREATE INDEX notifications_actor ON notifications(actor_id);

CREATE TABLE password_resets (
	user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	expires_at BIGINT NOT NULL
);

CREATE TABLE mail_outbox (
	id              TEXT PRIMARY KEY,
	recipient       TEXT NOT NULL,
	subject         TEXT NOT NULL,
	html            TEXT NOT NULL,
	text            TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	created_at      BIGINT NOT NULL,
	next_attempt_at BIGINT NOT NULL,
	sent_at         BIGINT NOT NULL DEFAULT 0,
	failed          BOOLEAN NOT NULL DEFAULT FALSE,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, failed, next_attempt_at);
