package blob_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/gram"
)

// stuckDelete is a blob store whose Delete hangs until its context ends.
type stuckDelete struct {
	gram.BlobStore
	started chan struct{}
}

func (s *stuckDelete) Delete(ctx context.Context, key string) error {
	select {
	case s.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestDeleterReleasesOnStop: a deleter stopped in the middle of a batch
// leaves every key of it due at once, the one cut short and those it had
// not tried, so that another replica's deleter takes them over without
// waiting for the lease.
func TestDeleterReleasesOnStop(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			defer s.Close()
			keys := []string{"users/a/posts/1.jpg", "users/a/posts/2.jpg", "users/a/posts/3.jpg"}
			if err := s.QueueBlobDeletions(t.Context(), time.Time{}, keys...); err != nil {
				t.Fatal(err)
			}
			blobs := &stuckDelete{BlobStore: blob.NewMem(""), started: make(chan struct{}, 1)}
			d := &blob.Deleter{Queue: s, Blobs: blobs, Log: slog.New(slog.DiscardHandler), Lease: time.Hour, BatchSize: 10}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan struct{})
			go func() { _, _ = d.Flush(ctx); close(done) }()
			<-blobs.started
			cancel()
			<-done
			again, err := s.ClaimBlobDeletions(t.Context(), time.Now(), time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(keys) {
				t.Fatalf("%d of the %d keys are due after the deleter stopped; want all (its lease had an hour left)", len(again), len(keys))
			}
		})
	}
}
