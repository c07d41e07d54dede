package app

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// job is periodic background work that replicas share: one replica at a
// time runs it, once every period, whichever replica that is.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) error
}

// jobRunner runs jobs under the leases of a gram.JobLeases store. A
// replica claims a due job, renews its lease every lease/3 while the job
// runs and finishes it (the job is due again after its period). The job
// is cut short when its lease is lost (taken over after a stall: the
// finish would be refused anyway), and released, due at once for another
// replica, when the runner stops mid-job.
type jobRunner struct {
	leases gram.JobLeases
	log    *slog.Logger
	now    func() time.Time
	lease  time.Duration // how long a claim holds unrenewed
	poll   time.Duration // how often an idle replica looks for a due job, jittered
}

// errJobLeaseLost cuts a job short: another replica holds it now.
var errJobLeaseLost = errors.New("job lease taken over")

// loop runs j whenever it is due, until ctx ends.
func (r *jobRunner) loop(ctx context.Context, j job) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.poll/2 + rand.N(r.poll/2+1)):
		}
		r.try(ctx, j)
	}
}

// try runs j once if this replica can claim it, and reports whether it did.
func (r *jobRunner) try(ctx context.Context, j job) bool {
	log := r.log.With("job", j.name)
	token, err := r.leases.ClaimJob(ctx, j.name, r.now(), r.lease)
	if err != nil {
		if !errors.Is(err, gram.ErrConflict) && ctx.Err() == nil {
			log.WarnContext(ctx, "job: claim failed", "err", err)
		}
		return false
	}
	jctx, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	stop := r.keep(jctx, log, j.name, token, lose)
	err = j.run(jctx)
	stop()
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case errors.Is(context.Cause(jctx), errJobLeaseLost):
		log.WarnContext(rec, "job: cut short, another replica holds it now")
	case ctx.Err() != nil:
		if err := r.leases.ReleaseJob(rec, j.name, token); err != nil {
			log.WarnContext(rec, "job: not released on stopping", "err", err)
			return true
		}
		log.InfoContext(rec, "job: released on stopping; another replica may run it now")
	default:
		if err != nil {
			log.ErrorContext(rec, "job failed", "err", err)
		}
		if err := r.leases.FinishJob(rec, j.name, token, r.now().Add(j.every)); err != nil {
			log.WarnContext(rec, "job: finish refused or failed", "err", err)
		}
	}
	return true
}

// keep renews the claim every lease/3 until the returned stop is called;
// a renewal refused (another replica took the job over) cuts the job
// short through lose.
func (r *jobRunner) keep(ctx context.Context, log *slog.Logger, name, token string, lose context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(r.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			err := r.leases.RenewJob(ctx, name, token, r.now().Add(r.lease))
			switch {
			case errors.Is(err, gram.ErrConflict):
				lose(errJobLeaseLost)
				return
			case err != nil && ctx.Err() == nil:
				log.WarnContext(ctx, "job: lease renewal failed", "err", err)
			}
		}
	}()
	return func() { close(done); <-finished }
}
