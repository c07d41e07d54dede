package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/instamern/gram/internal/blob"
)

// Runner is background work that runs until its context ends.
type Runner func(ctx context.Context)

// Runners are a server's background work: the outbox sender, the media
// deleter, the story and media sweeps, the account exports, the one-off
// public media check and,
// with METRICS_ADDR, the metrics listener, and the mail transport's
// readiness check.
// An App from OpenService has none.
func (a *App) Runners() []Runner {
	if a.sender == nil {
		return nil
	}
	rs := []Runner{a.SendMail, a.DeleteMedia, a.SweepStories, a.SweepMedia, a.CheckPublicMedia, a.BuildExports}
	if a.metrics != nil {
		rs = append(rs, a.ServeMetrics)
	}
	if a.mailCheck != nil {
		rs = append(rs, a.mailCheck.Run)
	}
	return rs
}

// Start runs rs, each in a goroutine, until the returned stop is called;
// stop waits for them. They keep ctx's values but not its cancellation,
// so that mail and sweeps go on while a shutdown drains requests.
func Start(ctx context.Context, rs ...Runner) (stop func()) {
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Go(func() { r(bg) })
	}
	return func() { cancel(); wg.Wait() }
}

// SendMail delivers the outbox until ctx ends; the service wakes it when
// it queues mail.
func (a *App) SendMail(ctx context.Context) { _ = a.sender.Run(ctx) }

// DeleteMedia removes the media whose deletion is queued until ctx ends,
// retrying each key until the blob store confirms.
func (a *App) DeleteMedia(ctx context.Context) { _ = a.deleter.Run(ctx) }

// Periods of the shared jobs, and how long a replica's claim on one holds
// unrenewed (see jobRunner).
const (
	storySweepEvery = 10 * time.Minute
	exportEvery     = 15 * time.Second
	jobLease        = time.Minute
)

// jobs runs periodic jobs under the store's leases, so that of several
// replicas one at a time runs each, once per period.
func (a *App) jobs(every time.Duration) *jobRunner {
	return &jobRunner{leases: a.Store, log: a.log, now: a.now, lease: jobLease, poll: min(30*time.Second, every)}
}

// SweepStories deletes expired stories and their media, up to 500 every
// ten minutes, on one replica at a time, until ctx ends.
func (a *App) SweepStories(ctx context.Context) {
	a.jobs(storySweepEvery).loop(ctx, job{name: "sweep-stories", every: storySweepEvery, run: func(ctx context.Context) error {
		n, err := a.Service.SweepStories(ctx, 500)
		if n > 0 {
			a.log.InfoContext(ctx, "swept expired stories", "count", n)
		}
		return err
	}})
}

// SweepMedia deletes media objects that no row references (left by a
// crash between upload and insert) soon after the first start and then
// every MEDIA_SWEEP_INTERVAL, on one replica at a time, until ctx ends;
// the next run is kept in the store, so restarts do not put it off.
func (a *App) SweepMedia(ctx context.Context) {
	s := &blob.Sweeper{Blobs: a.Blobs, Prefix: "users/", Referenced: a.Service.MediaReferenced, Log: a.log}
	every := a.Config.MediaSweep
	a.jobs(every).loop(ctx, job{name: "sweep-media", every: every, run: func(ctx context.Context) error {
		_ = s.Pass(ctx) // which logs its outcome
		return nil
	}})
}

// BuildExports builds the account exports asked for, a few at a time, and
// removes the archives past their expiry, every 15 seconds on one replica
// at a time, until ctx ends.
func (a *App) BuildExports(ctx context.Context) {
	a.jobs(exportEvery).loop(ctx, job{name: "exports", every: exportEvery, run: func(ctx context.Context) error {
		built, err := a.Service.BuildExports(ctx, 5)
		if built > 0 {
			a.log.InfoContext(ctx, "built account exports", "count", built)
		}
		expired, xerr := a.Service.ExpireExports(ctx, 100)
		if expired > 0 {
			a.log.InfoContext(ctx, "removed expired account exports", "count", expired)
		}
		return errors.Join(err, xerr)
	}})
}
