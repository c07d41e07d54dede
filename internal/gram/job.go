package gram

import (
	"context"
	"time"
)

// JobLeases coordinate the periodic background jobs (the story and media
// sweeps) between replicas: one replica at a time runs a job, and a job
// runs once per period, whichever replica runs it. A claim is a lease
// with a token; every later call names the token, so that a replica
// whose lease ran out (it froze, or its store calls failed) cannot renew,
// finish or release the claim of the replica that took the job over.
type JobLeases interface {
	// ClaimJob claims job name until now+lease and returns the claim's
	// token, if the job is due (its next run, set by FinishJob, is not
	// after now; a job never finished is due) and no unexpired lease
	// holds it. Otherwise it returns ErrConflict.
	ClaimJob(ctx context.Context, name string, now time.Time, lease time.Duration) (token string, err error)
	// RenewJob extends the claim token to until. Returns ErrConflict if
	// token does not hold the job (it was taken over, finished or
	// released).
	RenewJob(ctx context.Context, name, token string, until time.Time) error
	// FinishJob ends the claim token and makes the job due again at next.
	// Returns ErrConflict if token does not hold the job.
	FinishJob(ctx context.Context, name, token string, next time.Time) error
	// ReleaseJob ends the claim token without finishing the job, which
	// stays due: another replica may claim it at once (a replica that
	// stops mid-job releases it). Returns ErrConflict if token does not
	// hold the job.
	ReleaseJob(ctx context.Context, name, token string) error
}
