-- Username search reads active users' names only. The prefix pass is a
-- range of this index; the substring pass ("%an%") scans it in name order
-- and stops at the limit: SQLite has no trigram index, so a rare or
-- absent substring reads every active username (about 8 ms for 100,000
-- users), but only from this narrow index, and only the matching rows
-- from the table.
CREATE INDEX users_active_username ON users(username) WHERE active;
