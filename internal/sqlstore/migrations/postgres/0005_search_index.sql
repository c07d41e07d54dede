-- Substring matches on usernames and emails ("%an%") as index lookups:
-- trigram GIN indexes (pg_trgm, shipped with PostgreSQL and trusted since
-- 13, so a database owner may create it), for the user search and the
-- staff's user list. If the extension cannot be created (not installed,
-- no privilege), the migration still succeeds and those substring
-- matches scan the users table, as before.
DO $$
DECLARE
	ext_schema name;
BEGIN
	-- The extension belongs to the database, not to a schema of users:
	-- serialise migrations of several schemas running at once (tests).
	PERFORM pg_advisory_xact_lock(hashtext('gram: pg_trgm'));
	CREATE EXTENSION IF NOT EXISTS pg_trgm;
	SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm';
	EXECUTE format('CREATE INDEX users_username_trgm ON users USING gin (username %I.gin_trgm_ops)', ext_schema);
	EXECUTE format('CREATE INDEX users_email_trgm ON users USING gin (email %I.gin_trgm_ops)', ext_schema);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR undefined_object OR feature_not_supported THEN
	RAISE WARNING 'gram: no trigram indexes on users (%): substring search scans users', SQLERRM;
END $$;
