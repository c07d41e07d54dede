-- Posts a user saved for later, private to them. The list reads
-- (user_id, created_at, post_id) backwards, most recent save first; the
-- cascades of a deleted post use saves_post, those of a deleted user the
-- primary key.
CREATE TABLE saves (
	user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	post_id    TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, post_id)
);
CREATE INDEX saves_user_created ON saves(user_id, created_at, post_id);
CREATE INDEX saves_post ON saves(post_id);
