-- Each list index ends with the list's tie-breaker, so that every list is
-- read in index order, without a sort: notifications by (created_at, id),
-- likers by (created_at, user_id), follows by (created_at, other id),
-- active stories by (expires_at, id).
DROP INDEX notifications_recipient;
CREATE INDEX notifications_recipient ON notifications(recipient_id, created_at, id);
DROP INDEX likes_post_created;
CREATE INDEX likes_post_created ON likes(post_id, created_at, user_id);
DROP INDEX follows_followee;
CREATE INDEX follows_followee ON follows(followee_id, created_at, follower_id);
DROP INDEX follows_follower;
CREATE INDEX follows_follower ON follows(follower_id, created_at, followee_id);
DROP INDEX stories_expires;
CREATE INDEX stories_expires ON stories(expires_at, id);

-- Usernames compare bytewise, as on SQLite, whatever the database's locale:
-- the prefix search is a range of the unique index, and a locale that
-- ignores punctuation ("a_n" between "an" and "an\uffff") cannot leak into it.
ALTER TABLE users ALTER COLUMN username TYPE TEXT COLLATE "C";
