-- Safety and privacy. A private account's posts, stories and follow lists
-- are for its approved followers; following it asks first (a row of
-- follow_requests until the owner approves or rejects it). A block
-- separates two accounts both ways; a mute keeps the muted account's
-- posts and stories out of the muter's lists, unknown to it. The lists
-- read the edges by primary key (who blocks, mutes or asks) or by the
-- reverse index (who is blocked, who is asked), newest first.
ALTER TABLE users ADD COLUMN private BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE blocks (
	blocker_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	blocked_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id, blocker_id);
CREATE INDEX blocks_blocker_created ON blocks(blocker_id, created_at, blocked_id);

CREATE TABLE mutes (
	muter_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	muted_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (muter_id, muted_id)
);
CREATE INDEX mutes_muted ON mutes(muted_id);
CREATE INDEX mutes_muter_created ON mutes(muter_id, created_at, muted_id);

CREATE TABLE follow_requests (
	requester_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	target_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   BIGINT NOT NULL,
	PRIMARY KEY (requester_id, target_id)
);
CREATE INDEX follow_requests_target ON follow_requests(target_id, created_at, requester_id);
