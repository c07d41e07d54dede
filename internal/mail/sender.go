package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Sender defaults, used for zero fields.
const (
	DefaultInterval    = 5 * time.Second
	DefaultLease       = 15 * time.Second
	DefaultSendTimeout = 30 * time.Second
	DefaultBatchSize   = 10
	DefaultMaxAttempts = 8
	DefaultWorkers     = 4
)

// Sender delivers the outbox: it claims due messages from Store, sends
// each through Transport, and records the outcome. Any number of Senders
// (goroutines or replicas) may share one store: the store's lease keeps a
// claimed message from being claimed again.
//
// A lease is short and renewed while its send is in progress, so the
// claims of a sender that died (or froze) run out within one Lease and
// another sender retries them then; a send is cut short when its lease is
// about to end unrenewed, so a live sender never sends a message that
// another may have claimed. Delivery is still at least once: a crash
// between sending and marking sends again after the lease.
//
// Bodies are never logged; only ids, masked recipients, subjects and
// errors.
type Sender struct {
	Store     gram.OutboxStore
	Transport gram.Mailer
	Log       *slog.Logger // nil means slog.Default()

	Interval    time.Duration // pause between passes that found less than a full batch
	Lease       time.Duration // how long a claim holds unrenewed; renewed every Lease/3 during a send
	SendTimeout time.Duration // bound of one delivery
	BatchSize   int           // messages per claim
	MaxAttempts int           // attempts before giving up for good
	Workers     int           // sends in progress at once
	// Backoff says how long to wait after failed attempt n (1-based);
	// nil means ExpBackoff(30*time.Second, time.Hour).
	Backoff func(attempt int) time.Duration
	Now     func() time.Time

	wakeOnce sync.Once
	wake     chan struct{}
}

// ExpBackoff returns a backoff that doubles from base for each attempt, is
// capped at max, and is jittered into [d/2, d] so that messages that
// failed together (a mail server outage) do not all retry together.
func ExpBackoff(base, max time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := max
		if d <= 0 {
			return 0
		}
		if attempt < 1 {
			attempt = 1
		}
		if attempt < 63 && base<<(attempt-1) > 0 && base<<(attempt-1) < max {
			d = base << (attempt - 1)
		}
		return d/2 + rand.N(d/2+1)
	}
}

// Wake makes a running Run start a pass now rather than after Interval,
// e.g. right after a password-reset mail was enqueued. It never blocks.
func (s *Sender) Wake() {
	select {
	case s.wakeChan() <- struct{}{}:
	default:
	}
}

func (s *Sender) wakeChan() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// Run delivers the outbox until ctx is done, then waits for the sends in
// progress (cut short by ctx) to be recorded and returns nil. Up to
// Workers messages are in flight at once, each bounded by SendTimeout:
// whenever a worker is free, Run claims as many due messages as there are
// free workers, so one slow or hung send holds one worker only. When a
// claim found fewer due messages than free workers, Run waits Interval or
// a Wake. Store errors are logged and retried next pass.
func (s *Sender) Run(ctx context.Context) error {
	free := make(chan struct{}, s.workers()) // a token per busy worker
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		n := acquire(ctx, free, min(s.batchSize(), s.workers()))
		if n == 0 {
			return nil
		}
		batch, leaseEnd, err := s.claim(ctx, n)
		if err != nil && ctx.Err() == nil {
			s.logger().ErrorContext(ctx, "mail: outbox pass failed", "err", err)
		}
		for range n - len(batch) {
			<-free
		}
		for _, m := range batch {
			wg.Go(func() {
				defer func() { <-free }()
				s.deliver(ctx, m, leaseEnd)
			})
		}
		if len(batch) == n && err == nil {
			continue
		}
		if !s.pause(ctx) {
			return nil
		}
	}
}

// acquire takes at least one and at most max worker tokens, waiting for
// the first; it returns how many it took, 0 when ctx ended first.
func acquire(ctx context.Context, free chan struct{}, max int) int {
	select {
	case free <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	n := 1
	for ; n < max; n++ {
		select {
		case free <- struct{}{}:
		default:
			return n
		}
	}
	return n
}

// pause waits Interval or a Wake; false means ctx ended.
func (s *Sender) pause(ctx context.Context) bool {
	t := time.NewTimer(s.interval())
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-s.wakeChan():
	case <-t.C:
	}
	return true
}

// Flush makes one pass: it claims up to BatchSize due messages, tries
// each once (Workers at a time) and returns when all are recorded. It
// returns how many it claimed, and the claim's error or ctx's error if
// ctx ended the pass early (the unsent rest is retried after its lease).
func (s *Sender) Flush(ctx context.Context) (int, error) {
	batch, leaseEnd, err := s.claim(ctx, s.batchSize())
	if err != nil {
		return 0, err
	}
	free := make(chan struct{}, s.workers())
	var wg sync.WaitGroup
	for _, m := range batch {
		select {
		case free <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-free }()
			s.deliver(ctx, m, leaseEnd)
		})
	}
	wg.Wait()
	return len(batch), ctx.Err()
}

// claim leases up to n due messages; leaseEnd is when their lease ends
// unless renewed.
func (s *Sender) claim(ctx context.Context, n int) (batch []gram.OutboxMail, leaseEnd time.Time, err error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, err
	}
	claimedAt := s.now()
	batch, err = s.Store.ClaimMail(ctx, claimedAt, s.lease(), n)
	return batch, claimedAt.Add(s.lease()), err
}

// errLeaseLost cuts a send short: its lease ended, or is about to end,
// without a renewal, so another sender may own the message.
var errLeaseLost = errors.New("mail: lease lost during the send")

// deliver sends one claimed message, keeping its lease while the send is
// in progress, and records the outcome.
func (s *Sender) deliver(ctx context.Context, m gram.OutboxMail, leaseEnd time.Time) {
	log := s.logger().With("mail_id", m.ID, "attempt", m.Attempts)
	// A duration, not a deadline: Now may be a fake clock, timers run on
	// the real one.
	left := leaseEnd.Sub(s.now())
	if left <= 0 {
		// The lease is over: another sender may own the message by now.
		log.WarnContext(ctx, "mail: lease expired before sending; left for a later pass")
		return
	}
	if s.suppressed(ctx, log, m) {
		return
	}
	sendCtx, cancel := context.WithTimeout(ctx, s.sendTimeout())
	defer cancel()
	leaseCtx, loseLease := context.WithCancelCause(sendCtx)
	release := s.keepLease(ctx, log, m, left, loseLease)
	err := s.Transport.Send(leaseCtx, m.Message)
	release()
	if err != nil && errors.Is(context.Cause(leaseCtx), errLeaseLost) {
		err = fmt.Errorf("%w: %w", errLeaseLost, err)
	}
	// Record the outcome even if ctx was canceled meanwhile (shutdown):
	// a sent message that is not marked would be sent again.
	rec, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	if err == nil {
		s.markSent(rec, log, m)
		return
	}
	s.markFailed(rec, ctx, log, m, err)
}

// suppressed reports whether m's recipient is on the suppression list
// (it bounced for good or complained), and if so gives m up unsent. A
// failed lookup is not a reason to skip: the message is sent.
func (s *Sender) suppressed(ctx context.Context, log *slog.Logger, m gram.OutboxMail) bool {
	sup, err := s.Store.MailSuppressed(ctx, m.To)
	if err != nil {
		log.WarnContext(ctx, "mail: suppression lookup failed; sending", "err", err)
		return false
	}
	if !sup {
		return false
	}
	if err := s.Store.MarkMailFailed(ctx, m.ID, m.ClaimToken, ErrSuppressed.Error(), s.now(), true); err != nil {
		log.ErrorContext(ctx, "mail: suppressed and not marked", "err", err)
	}
	log.InfoContext(ctx, "mail: not sent: the address is suppressed", "id", m.ID, "to", maskAddress(m.To), "subject", m.Subject)
	return true
}

// ErrSuppressed is the recorded failure of a message to an address that
// bounced for good or complained: it is never sent.
var ErrSuppressed = errors.New("suppressed")

func (s *Sender) markSent(ctx context.Context, log *slog.Logger, m gram.OutboxMail) {
	if err := s.Store.MarkMailSent(ctx, m.ID, m.ClaimToken, s.now()); err != nil {
		if errors.Is(err, gram.ErrConflict) {
			log.WarnContext(ctx, "mail: sent after the lease ran out; another sender owns it now and may send it again")
			return
		}
		log.ErrorContext(ctx, "mail: sent but not marked; it will be sent again", "err", err)
		return
	}
	log.InfoContext(ctx, "mail: sent", "id", m.ID, "to", maskAddress(m.To), "subject", m.Subject)
}

// markFailed schedules a retry, or gives up after MaxAttempts. A send cut
// short by our own shutdown (parent ctx done) is retried at once by
// whichever sender comes next, and never counts towards giving up.
func (s *Sender) markFailed(rec, parent context.Context, log *slog.Logger, m gram.OutboxMail, sendErr error) {
	now := s.now()
	retryAt, giveUp := now.Add(s.backoff(m.Attempts)), m.Attempts >= s.maxAttempts()
	if parent.Err() != nil || errors.Is(sendErr, errLeaseLost) {
		retryAt, giveUp = now, false
	}
	msg := truncate(sendErr.Error(), 1000)
	if err := s.Store.MarkMailFailed(rec, m.ID, m.ClaimToken, msg, retryAt, giveUp); err != nil {
		if errors.Is(err, gram.ErrConflict) {
			log.InfoContext(rec, "mail: failed after the lease ran out; left to the sender that owns it now", "send_err", msg)
			return
		}
		log.ErrorContext(rec, "mail: failed and not marked", "err", err, "send_err", msg)
		return
	}
	if giveUp {
		log.ErrorContext(rec, "mail: gave up", "id", m.ID, "to", maskAddress(m.To), "subject", m.Subject, "err", msg)
		return
	}
	level := slog.LevelWarn
	if errors.Is(sendErr, context.Canceled) {
		level = slog.LevelInfo
	}
	log.Log(rec, level, "mail: send failed; will retry", "err", msg, "retry_at", retryAt)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (s *Sender) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) backoff(attempt int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(attempt)
	}
	return ExpBackoff(30*time.Second, time.Hour)(attempt)
}

func (s *Sender) interval() time.Duration    { return orDefault(s.Interval, DefaultInterval) }
func (s *Sender) lease() time.Duration       { return orDefault(s.Lease, DefaultLease) }
func (s *Sender) sendTimeout() time.Duration { return orDefault(s.SendTimeout, DefaultSendTimeout) }
func (s *Sender) batchSize() int             { return orDefault(s.BatchSize, DefaultBatchSize) }
func (s *Sender) maxAttempts() int           { return orDefault(s.MaxAttempts, DefaultMaxAttempts) }
func (s *Sender) workers() int               { return orDefault(s.Workers, DefaultWorkers) }

func orDefault[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
