package blob

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Deleter defaults, used for zero fields.
const (
	DefaultDeleteInterval = 30 * time.Second
	DefaultDeleteLease    = 5 * time.Minute
	DefaultDeleteTimeout  = time.Minute
	DefaultDeleteBatch    = 20
	DefaultDeleteRetry    = time.Minute
)

// Deleter works the queue of media deletions (gram.BlobQueue): it claims
// due keys, removes each from Blobs (gram.RemoveBlob), drops the key from
// the queue once the blob store has confirmed, and otherwise schedules
// another attempt after Backoff. It never gives up: an object whose row
// is gone must not stay readable. Any number of Deleters (goroutines or
// replicas) may share one queue: the lease keeps a claimed key from being
// claimed again, and removing twice does no harm.
type Deleter struct {
	Queue gram.BlobQueue
	Blobs gram.BlobStore
	Log   *slog.Logger // nil means slog.Default()

	Interval  time.Duration // pause between passes that found less than a full batch
	Lease     time.Duration // how long a claim holds; must exceed Timeout
	Timeout   time.Duration // bound of one removal (a whole account's for a prefix)
	BatchSize int           // keys per claim
	// Backoff says how long to wait after failed attempt n (1-based); nil
	// means DefaultDeleteRetry after every attempt.
	Backoff func(attempt int) time.Duration
	Now     func() time.Time
}

// Run works the queue until ctx is done, then returns nil. A pass that
// found a full batch is followed by another at once; otherwise Run waits
// Interval. Queue errors are logged and retried next pass.
func (d *Deleter) Run(ctx context.Context) error {
	for {
		n, err := d.Flush(ctx)
		if err != nil && ctx.Err() == nil {
			d.logger().ErrorContext(ctx, "blob: deletion pass failed", "err", err)
		}
		if n >= d.batchSize() && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(orDefault(d.Interval, DefaultDeleteInterval)):
		}
	}
}

// Flush makes one pass: it claims up to BatchSize due keys and tries each
// once. It returns how many it claimed, and the claim's error or ctx's
// error if ctx ended the pass early (the rest is released, due at once).
func (d *Deleter) Flush(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	batch, err := d.Queue.ClaimBlobDeletions(ctx, d.now(), orDefault(d.Lease, DefaultDeleteLease), d.batchSize())
	if err != nil {
		return 0, err
	}
	for i, del := range batch {
		if err := ctx.Err(); err != nil {
			d.release(ctx, batch[i:])
			return len(batch), err
		}
		d.remove(ctx, del)
	}
	return len(batch), ctx.Err()
}

// release gives up the claims on deletions that ctx's end (shutdown) left
// untried: they are due again at once, for another deleter, rather than
// when their lease runs out.
func (d *Deleter) release(ctx context.Context, untried []gram.BlobDeletion) {
	rec, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	for _, del := range untried {
		err := d.Queue.RetryBlobDeletion(rec, del.Key, del.ClaimToken, "not tried: the deleter stopped", d.now())
		if err != nil && !errors.Is(err, gram.ErrNotFound) && !errors.Is(err, gram.ErrConflict) {
			d.logger().WarnContext(rec, "blob: claim not released on stopping; due after its lease", "key", del.Key, "err", err)
		}
	}
}

// remove removes one claimed key and records the outcome, even if ctx
// ended meanwhile (shutdown): a removal that is not recorded is repeated.
func (d *Deleter) remove(ctx context.Context, del gram.BlobDeletion) {
	log := d.logger().With("key", del.Key, "attempt", del.Attempts)
	rctx, cancel := context.WithTimeout(ctx, orDefault(d.Timeout, DefaultDeleteTimeout))
	err := gram.RemoveBlob(rctx, d.Blobs, del.Key)
	cancel()
	rec, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	if err == nil {
		if err := d.Queue.BlobDeleted(rec, del.Key); err != nil {
			log.ErrorContext(rec, "blob: deleted but still queued; it will be deleted again", "err", err)
			return
		}
		log.InfoContext(rec, "blob: deleted")
		return
	}
	// A removal cut short by our own shutdown is due again at once.
	retryAt := d.now().Add(d.backoff(del.Attempts))
	if ctx.Err() != nil {
		retryAt = d.now()
	}
	msg := err.Error()
	switch err := d.Queue.RetryBlobDeletion(rec, del.Key, del.ClaimToken, msg, retryAt); {
	case errors.Is(err, gram.ErrNotFound), errors.Is(err, gram.ErrConflict):
		log.InfoContext(rec, "blob: delete failed, and another attempt owns the key now", "delete_err", msg)
	case err != nil:
		log.ErrorContext(rec, "blob: delete failed and not recorded", "err", err, "delete_err", msg)
	default:
		log.WarnContext(rec, "blob: delete failed; will retry", "err", msg, "retry_at", retryAt)
	}
}

func (d *Deleter) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

func (d *Deleter) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Deleter) backoff(attempt int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(attempt)
	}
	return DefaultDeleteRetry
}

func (d *Deleter) batchSize() int { return orDefault(d.BatchSize, DefaultDeleteBatch) }

func orDefault[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
