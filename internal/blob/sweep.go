package blob

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Sweep deletes the orphans under prefix: objects last modified before
// olderThan for which referenced reports false. On Disk it also removes
// the files of writes that never finished (temporary files, and sidecars
// whose object is gone) last modified before olderThan. It returns how
// many objects and files it deleted.
//
// The grace period (olderThan, e.g. now minus one day) protects uploads in
// flight, whose object is written before the row that references it.
// Sweep stops at the first error, leaving the rest for the next run; it is
// safe to run concurrently with itself and with uploads.
func Sweep(ctx context.Context, store gram.BlobStore, prefix string, olderThan time.Time,
	referenced func(key string) (bool, error)) (deleted int, err error) {
	if d, ok := store.(*Disk); ok {
		if deleted, err = d.sweepStray(ctx, prefix, olderThan); err != nil {
			return deleted, err
		}
	}
	objs, err := store.List(ctx, prefix)
	if err != nil {
		return deleted, err
	}
	for _, o := range objs {
		if !o.LastModified.Before(olderThan) {
			continue
		}
		ok, err := referenced(o.Key)
		if err != nil {
			return deleted, fmt.Errorf("blob: sweep %q: %w", o.Key, err)
		}
		if ok {
			continue
		}
		if err := store.Delete(ctx, o.Key); err != nil {
			return deleted, err
		}
		deleted++
	}
	return deleted, nil
}

// Sweeper defaults, used for zero fields.
const (
	DefaultSweepGrace = 24 * time.Hour
	DefaultSweepFirst = time.Minute
	DefaultSweepEvery = 3 * time.Hour
)

// Sweeper runs Sweep soon after it starts and then regularly, so that a
// server that restarts more often than Every still sweeps.
type Sweeper struct {
	Blobs  gram.BlobStore
	Prefix string
	// Grace is the age below which nothing is swept (see Sweep); it must
	// exceed the longest upload.
	Grace      time.Duration
	Referenced func(ctx context.Context, key string) (bool, error)
	Log        *slog.Logger // nil means slog.Default()

	// First bounds the delay of the first pass, which is random in
	// [First/2, First] so that replicas started together do not sweep
	// together; Every is the pause between passes.
	First, Every time.Duration
}

// Run sweeps until ctx is done, then returns nil. Errors are logged and
// the sweep is tried again at the next pass.
func (s *Sweeper) Run(ctx context.Context) error {
	first := orDefault(s.First, DefaultSweepFirst)
	wait := first/2 + rand.N(first/2+1)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		_ = s.Pass(ctx)
		wait = orDefault(s.Every, DefaultSweepEvery)
	}
}

// Pass sweeps once, logs the outcome and returns the sweep's error.
func (s *Sweeper) Pass(ctx context.Context) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	referenced := func(key string) (bool, error) { return s.Referenced(ctx, key) }
	n, err := Sweep(ctx, s.Blobs, s.Prefix, time.Now().Add(-orDefault(s.Grace, DefaultSweepGrace)), referenced)
	if err != nil && ctx.Err() == nil {
		log.ErrorContext(ctx, "blob: sweep failed", "err", err, "deleted", n)
		return err
	}
	if n > 0 {
		log.InfoContext(ctx, "blob: swept orphaned media", "deleted", n)
	}
	return err
}
