package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// memOutbox is an in-memory gram.OutboxStore with the contract's claim
// semantics, one mutex making each method atomic.
type memOutbox struct {
	mu       sync.Mutex
	mails    map[string]*gram.OutboxMail
	order    []string
	marks    map[string]int // MarkMailSent calls per id
	err      error          // returned by ClaimMail when set
	sup      map[string]bool
	claim    int // claims made, for claim tokens
	renewals int
	renewErr error // returned by RenewMailLease when set
}

func newMemOutbox() *memOutbox {
	return &memOutbox{mails: map[string]*gram.OutboxMail{}, marks: map[string]int{}, sup: map[string]bool{}}
}

func (s *memOutbox) EnqueueMail(_ context.Context, m gram.OutboxMail) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.mails[m.ID]; ok {
		return gram.ErrConflict
	}
	s.mails[m.ID] = &m
	s.order = append(s.order, m.ID)
	return nil
}

func (s *memOutbox) ClaimMail(_ context.Context, now time.Time, lease time.Duration, limit int) ([]gram.OutboxMail, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	var out []gram.OutboxMail
	for _, id := range s.order {
		m := s.mails[id]
		if len(out) == limit {
			break
		}
		if !m.SentAt.IsZero() || m.Failed || m.NextAttemptAt.After(now) {
			continue
		}
		m.NextAttemptAt = now.Add(lease)
		m.Attempts++
		s.claim++
		m.ClaimToken = fmt.Sprint(s.claim)
		out = append(out, *m)
	}
	return out, nil
}

// held returns message id if claim is its latest claim; the caller holds mu.
func (s *memOutbox) held(id, claim string) (*gram.OutboxMail, error) {
	m, ok := s.mails[id]
	switch {
	case !ok:
		return nil, gram.ErrNotFound
	case m.ClaimToken != claim:
		return nil, gram.ErrConflict
	}
	return m, nil
}

func (s *memOutbox) MarkMailSent(_ context.Context, id, claim string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.held(id, claim)
	if err != nil {
		return err
	}
	m.SentAt = at
	s.marks[id]++
	return nil
}

func (s *memOutbox) MarkMailFailed(_ context.Context, id, claim, lastError string, retryAt time.Time, giveUp bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.held(id, claim)
	if err != nil {
		return err
	}
	m.LastError, m.NextAttemptAt, m.Failed = lastError, retryAt, giveUp
	return nil
}

func (s *memOutbox) RenewMailLease(_ context.Context, id, claim string, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.renewErr != nil {
		return s.renewErr
	}
	m, err := s.held(id, claim)
	if err != nil {
		return err
	}
	if !m.SentAt.IsZero() || m.Failed {
		return gram.ErrConflict
	}
	m.NextAttemptAt = until
	s.renewals++
	return nil
}

func (s *memOutbox) SuppressMail(_ context.Context, email, _ string, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sup[strings.ToLower(email)] = true
	return nil
}

func (s *memOutbox) MailSuppressed(_ context.Context, email string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sup[strings.ToLower(email)], nil
}

func (s *memOutbox) get(id string) gram.OutboxMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.mails[id]
}

// waitSent waits until the outbox records message id as sent, and returns
// it. Mailpit can hold a message a moment before the sender, whose send
// has just returned, marks it sent: a check right after the mail arrives
// would race the mark.
func (s *memOutbox) waitSent(t *testing.T, id string) gram.OutboxMail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := s.get(id)
		if !m.SentAt.IsZero() || time.Now().After(deadline) {
			return m
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *memOutbox) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.mails {
		if m.SentAt.IsZero() && !m.Failed {
			n++
		}
	}
	return n
}

func enqueue(t *testing.T, s *memOutbox, at time.Time, ids ...string) {
	t.Helper()
	for _, id := range ids {
		m := gram.OutboxMail{Message: gram.Message{ID: id, To: id + "@example.com", Subject: "s", Text: "secret body " + id},
			CreatedAt: at, NextAttemptAt: at}
		if err := s.EnqueueMail(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
}

// clock is a settable fake time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func linearBackoff(n int) time.Duration { return time.Duration(n) * time.Minute }

func flush(t *testing.T, s *mail.Sender) int {
	t.Helper()
	n, err := s.Flush(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSender_Flush(t *testing.T) {
	store, rec, clk := newMemOutbox(), &mail.Recorder{}, &clock{t: t0}
	enqueue(t, store, t0, "a", "b", "c")
	enqueue(t, store, t0.Add(time.Hour), "later")
	s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Now: clk.Now, BatchSize: 2}
	if n := flush(t, s); n != 2 {
		t.Errorf("first pass claimed %d, want a batch of 2", n)
	}
	if n := flush(t, s); n != 1 {
		t.Errorf("second pass claimed %d, want 1", n)
	}
	if n := flush(t, s); n != 0 {
		t.Errorf("third pass claimed %d, want 0", n)
	}
	var ids []string
	for _, m := range rec.Sent() {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids) // a pass sends its batch concurrently
	if !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Errorf("sent %v", ids)
	}
	if got := store.get("a"); !got.SentAt.Equal(t0) || got.Attempts != 1 {
		t.Errorf("a = %+v", got)
	}
}

func TestSender_RetryWithBackoff(t *testing.T) {
	store, rec, clk := newMemOutbox(), &mail.Recorder{}, &clock{t: t0}
	enqueue(t, store, t0, "a")
	rec.FailNext(2)
	s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Now: clk.Now, MaxAttempts: 5, Backoff: linearBackoff}

	steps := []struct {
		name      string
		advance   time.Duration
		claimed   int
		attempts  int
		nextAt    time.Time
		delivered bool
	}{
		{"FirstAttemptFails", 0, 1, 1, t0.Add(time.Minute), false},
		{"NotDueYet", 30 * time.Second, 0, 1, t0.Add(time.Minute), false},
		{"SecondAttemptFails", 30 * time.Second, 1, 2, t0.Add(3 * time.Minute), false},
		{"ThirdAttemptSends", 2 * time.Minute, 1, 3, time.Time{}, true},
		{"NothingLeft", time.Hour, 0, 3, time.Time{}, true},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clk.Add(st.advance)
			if n := flush(t, s); n != st.claimed {
				t.Errorf("claimed %d, want %d", n, st.claimed)
			}
			m := store.get("a")
			if m.Attempts != st.attempts {
				t.Errorf("Attempts = %d, want %d", m.Attempts, st.attempts)
			}
			if st.delivered != !m.SentAt.IsZero() {
				t.Errorf("SentAt = %v", m.SentAt)
			}
			if !st.delivered && !m.NextAttemptAt.Equal(st.nextAt) {
				t.Errorf("NextAttemptAt = %v, want %v", m.NextAttemptAt, st.nextAt)
			}
			if !st.delivered && !strings.Contains(m.LastError, "simulated failure") {
				t.Errorf("LastError = %q", m.LastError)
			}
		})
	}
	if len(rec.Sent()) != 1 {
		t.Errorf("sent %d times", len(rec.Sent()))
	}
}

func TestSender_GiveUp(t *testing.T) {
	store, rec, clk := newMemOutbox(), &mail.Recorder{}, &clock{t: t0}
	enqueue(t, store, t0, "a")
	rec.FailNext(100)
	s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Now: clk.Now, MaxAttempts: 3, Backoff: linearBackoff}
	for i := range 5 {
		flush(t, s)
		clk.Add(time.Hour)
		if m := store.get("a"); m.Failed != (i >= 2) {
			t.Errorf("after pass %d: Failed = %v", i+1, m.Failed)
		}
	}
	m := store.get("a")
	if rec.Attempts() != 3 || m.Attempts != 3 || !strings.Contains(m.LastError, "simulated failure") {
		t.Errorf("transport attempts %d, store %+v", rec.Attempts(), m)
	}
}

func TestSender_ClaimError(t *testing.T) {
	store := newMemOutbox()
	store.err = errors.New("database is down")
	s := &mail.Sender{Store: store, Transport: &mail.Recorder{}, Log: quiet()}
	if _, err := s.Flush(context.Background()); err == nil {
		t.Error("no error")
	}
}

func TestExpBackoff(t *testing.T) {
	b := mail.ExpBackoff(30*time.Second, time.Hour)
	tests := []struct {
		attempt int
		max     time.Duration
	}{
		{0, 30 * time.Second},
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{8, 64 * time.Minute / 64 * 64},
		{12, time.Hour},
		{100, time.Hour},
	}
	tests[4].max = time.Hour // 30 s << 7 = 64 min, over the cap
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.attempt), func(t *testing.T) {
			for range 100 {
				if d := b(tt.attempt); d < tt.max/2 || d > tt.max {
					t.Fatalf("backoff %v outside [%v, %v]", d, tt.max/2, tt.max)
				}
			}
		})
	}
}

// slowRecorder is a Recorder that takes a little while per send, so that
// concurrent senders overlap.
type slowRecorder struct{ mail.Recorder }

func (r *slowRecorder) Send(ctx context.Context, m gram.Message) error {
	time.Sleep(100 * time.Microsecond)
	return r.Recorder.Send(ctx, m)
}

func TestSender_ConcurrentSendersNeverDoubleSend(t *testing.T) {
	store, rec := newMemOutbox(), &slowRecorder{}
	rec.FailNext(20) // some retries in the mix
	var ids []string
	for i := range 300 {
		ids = append(ids, fmt.Sprintf("m%03d", i))
	}
	enqueue(t, store, time.Now(), ids...)
	var wg sync.WaitGroup
	for range 2 {
		s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), BatchSize: 7,
			Backoff: func(int) time.Duration { return 0 }}
		wg.Go(func() {
			for store.pending() > 0 {
				if _, err := s.Flush(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	count := map[string]int{}
	for _, m := range rec.Sent() {
		count[m.ID]++
	}
	for _, id := range ids {
		if count[id] != 1 || store.marks[id] != 1 {
			t.Errorf("%s sent %d times, marked %d times", id, count[id], store.marks[id])
		}
	}
}

// blockingMailer blocks every send until its ctx is done.
type blockingMailer struct{ started chan string }

func (b *blockingMailer) Send(ctx context.Context, m gram.Message) error {
	b.started <- m.ID
	<-ctx.Done()
	return ctx.Err()
}

func TestSender_SendTimeout(t *testing.T) {
	store, clk := newMemOutbox(), &clock{t: t0}
	enqueue(t, store, t0, "a")
	bm := &blockingMailer{started: make(chan string, 1)}
	s := &mail.Sender{Store: store, Transport: bm, Log: quiet(), Now: clk.Now, Backoff: linearBackoff,
		SendTimeout: 50 * time.Millisecond}
	start := time.Now()
	flush(t, s)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Flush took %v", d)
	}
	m := store.get("a")
	if !strings.Contains(m.LastError, "deadline exceeded") || !m.NextAttemptAt.Equal(t0.Add(time.Minute)) || m.Failed {
		t.Errorf("after timeout: %+v", m)
	}
}

// TestSender_LeaseExpiredLeavesRest: a worker that reaches a message of
// its batch after the message's lease ended leaves it to a later pass.
func TestSender_LeaseExpiredLeavesRest(t *testing.T) {
	store, clk := newMemOutbox(), &clock{t: t0}
	enqueue(t, store, t0, "a", "b")
	// Each send takes (on the fake clock) longer than the whole lease.
	tr := mailerFunc(func(ctx context.Context, m gram.Message) error { clk.Add(2 * time.Minute); return nil })
	s := &mail.Sender{Store: store, Transport: tr, Log: quiet(), Now: clk.Now, Lease: time.Minute, Workers: 1}
	if n := flush(t, s); n != 2 {
		t.Fatalf("claimed %d", n)
	}
	if a, b := store.get("a"), store.get("b"); a.SentAt.IsZero() || !b.SentAt.IsZero() {
		t.Errorf("a sent at %v, b sent at %v: b's lease had ended, it must be left", a.SentAt, b.SentAt)
	}
}

type mailerFunc func(context.Context, gram.Message) error

func (f mailerFunc) Send(ctx context.Context, m gram.Message) error { return f(ctx, m) }

func TestSender_RunStopsOnCancel(t *testing.T) {
	store, clk := newMemOutbox(), &clock{t: t0}
	enqueue(t, store, t0, "a")
	bm := &blockingMailer{started: make(chan string, 1)}
	s := &mail.Sender{Store: store, Transport: bm, Log: quiet(), Now: clk.Now, MaxAttempts: 1, Backoff: linearBackoff}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	<-bm.started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	// Cut short by shutdown: due again at once, and not given up even
	// though MaxAttempts is reached.
	if m := store.get("a"); m.Failed || !m.NextAttemptAt.Equal(t0) || !m.SentAt.IsZero() {
		t.Errorf("after cancel: %+v", m)
	}
}

func TestSender_RunWakes(t *testing.T) {
	store, rec := newMemOutbox(), &mail.Recorder{}
	s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Interval: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	time.Sleep(20 * time.Millisecond) // let Run finish its first, empty pass
	enqueue(t, store, time.Now(), "a")
	s.Wake()
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.Sent()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Wake did not trigger a pass")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSender_NeverLogsBodiesOrAddresses(t *testing.T) {
	var logs strings.Builder
	store, rec := newMemOutbox(), &mail.Recorder{}
	enqueue(t, store, time.Now(), "a", "b")
	rec.FailNext(1)
	s := &mail.Sender{Store: store, Transport: rec, Log: slog.New(slog.NewTextHandler(&logs, nil)), MaxAttempts: 1}
	flush(t, s)
	if strings.Contains(logs.String(), "secret body") {
		t.Errorf("log holds a body:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "a@example.com") || strings.Contains(logs.String(), "b@example.com") ||
		!strings.Contains(logs.String(), "a***@example.com") {
		t.Errorf("log holds a full address, or not the masked one:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "gave up") || !strings.Contains(logs.String(), "mail: sent") {
		t.Errorf("log lacks outcomes:\n%s", logs.String())
	}
}

// TestSender_SkipsSuppressed: a message to an address that bounced for
// good is given up unsent, with the failure "suppressed"; others go.
func TestSender_SkipsSuppressed(t *testing.T) {
	store, rec, clk := newMemOutbox(), &mail.Recorder{}, &clock{t: t0}
	enqueue(t, store, t0, "gone", "ok")
	store.SuppressMail(context.Background(), "GONE@example.com", gram.SuppressBounce, t0)
	s := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Now: clk.Now}
	flush(t, s)
	if got := store.get("gone"); !got.Failed || got.LastError != "suppressed" || !got.SentAt.IsZero() {
		t.Errorf("suppressed message: %+v; want given up with the error suppressed", got)
	}
	if sent := rec.Sent(); len(sent) != 1 || sent[0].ID != "ok" || rec.Attempts() != 1 {
		t.Errorf("sent %+v in %d attempts; want only ok, once", sent, rec.Attempts())
	}
}

// TestSender_LeaseLostCannotOverwrite: sender A's send outlives its lease,
// sender B claims the message meanwhile and delivers it; A's late failure
// must not overwrite B's result (give the sent message up).
func TestSender_LeaseLostCannotOverwrite(t *testing.T) {
	store, clk, rec := newMemOutbox(), &clock{t: t0}, &mail.Recorder{}
	enqueue(t, store, t0, "a")
	b := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Now: clk.Now, Lease: time.Minute}
	slowA := mailerFunc(func(ctx context.Context, m gram.Message) error {
		clk.Add(2 * time.Minute) // A's lease runs out while it sends
		if n := flush(t, b); n != 1 {
			t.Errorf("B claimed %d messages; want the one whose lease ran out", n)
		}
		return errors.New("421 too late")
	})
	a := &mail.Sender{Store: store, Transport: slowA, Log: quiet(), Now: clk.Now, Lease: time.Minute, MaxAttempts: 1}
	flush(t, a)
	got := store.get("a")
	if got.SentAt.IsZero() || got.Failed || got.LastError != "" {
		t.Errorf("after B sent and A failed late: %+v; want B's result (sent, no error)", got)
	}
	if len(rec.Sent()) != 1 {
		t.Errorf("B sent %d messages; want 1", len(rec.Sent()))
	}
}
