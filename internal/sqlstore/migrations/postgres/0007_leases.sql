-- Leases on the periodic background jobs (the story and media sweeps) that
-- one replica at a time runs. A replica claims a due job (next_run_at
-- passed) that no unexpired lease holds, renews its lease while the job
-- runs, and on finishing sets the next run; owner is the claim's token,
-- checked by every renewal, finish and release, so that a replica whose
-- lease ran out cannot finish another's claim.
CREATE TABLE job_leases (
	name        TEXT PRIMARY KEY,
	owner       TEXT NOT NULL DEFAULT '',
	lease_until BIGINT NOT NULL DEFAULT 0,
	next_run_at BIGINT NOT NULL DEFAULT 0
);
