package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// keepLease renews m's lease every Lease/3 until the returned release is
// called. It calls lose when the lease is about to end unrenewed (the
// store did not answer in time) or was taken over, so that the send stops
// before another sender may start it. left is how long the lease still
// holds; the last sixth of a lease is the margin for clock skew between
// senders and for the send to notice.
func (s *Sender) keepLease(ctx context.Context, log *slog.Logger, m gram.OutboxMail, left time.Duration, lose context.CancelCauseFunc) (release func()) {
	lease := s.lease()
	margin := lease / 6
	guard := time.AfterFunc(left-margin, func() { lose(errLeaseLost) })
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			start := time.Now()
			err := s.Store.RenewMailLease(ctx, m.ID, m.ClaimToken, s.now().Add(lease))
			switch {
			case err == nil:
				// The new lease counts from before the call.
				guard.Reset(lease - margin - time.Since(start))
			case errors.Is(err, gram.ErrConflict), errors.Is(err, gram.ErrNotFound):
				log.WarnContext(ctx, "mail: lease taken over during the send; cutting it short")
				lose(errLeaseLost)
				return
			default:
				log.WarnContext(ctx, "mail: lease renewal failed", "err", err)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		guard.Stop()
	}
}
