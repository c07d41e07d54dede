package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// TestSender_RenewsLeaseDuringSend: a send that lasts several leases keeps
// its claim, so a second sender claims nothing meanwhile.
func TestSender_RenewsLeaseDuringSend(t *testing.T) {
	store, rec := newMemOutbox(), &mail.Recorder{}
	enqueue(t, store, time.Now(), "a")
	const lease = 600 * time.Millisecond
	slow := mailerFunc(func(ctx context.Context, m gram.Message) error {
		other := &mail.Sender{Store: store, Transport: rec, Log: quiet(), Lease: lease}
		for range 4 {
			time.Sleep(lease / 2)
			if n := flush(t, other); n != 0 {
				t.Errorf("another sender claimed %d messages during a send in progress", n)
			}
		}
		return rec.Send(ctx, m)
	})
	s := &mail.Sender{Store: store, Transport: slow, Log: quiet(), Lease: lease}
	flush(t, s)
	if got := store.get("a"); got.SentAt.IsZero() || got.Attempts != 1 || len(rec.Sent()) != 1 {
		t.Errorf("after a slow send: %+v, sent %d times; want sent once, in 1 attempt", got, len(rec.Sent()))
	}
	if store.renewals < 2 {
		t.Errorf("%d lease renewals during a send of 2 leases; want at least 2", store.renewals)
	}
}

// TestSender_UnrenewedLeaseCutsSend: when the store cannot renew the
// lease, the send is cut short before the lease ends, and the message is
// due again at once without counting as an attempt that failed for good.
func TestSender_UnrenewedLeaseCutsSend(t *testing.T) {
	store, clk := newMemOutbox(), &clock{t: t0}
	enqueue(t, store, t0, "a")
	store.renewErr = errors.New("database is down")
	const lease = 300 * time.Millisecond
	bm := &blockingMailer{started: make(chan string, 1)}
	s := &mail.Sender{Store: store, Transport: bm, Log: quiet(), Now: clk.Now, Lease: lease, MaxAttempts: 1, SendTimeout: time.Minute}
	flush(t, s) // returns long before SendTimeout: the guard cut the send
	store.renewErr = nil
	if got := store.get("a"); got.Failed || !got.NextAttemptAt.Equal(t0) || !strings.Contains(got.LastError, "lease lost") {
		t.Errorf("after the cut: %+v; want due at once, not given up, with the lease error", got)
	}
}

// TestSender_LeaseTakenOverCutsSend: when another sender has claimed the
// message (this sender's clock or process stalled past the lease), the
// next renewal is refused, the send stops, and nothing is recorded over
// the new holder's claim.
func TestSender_LeaseTakenOverCutsSend(t *testing.T) {
	store, clk := newMemOutbox(), &clock{t: t0}
	enqueue(t, store, t0, "a")
	bm := &blockingMailer{started: make(chan string, 1)}
	s := &mail.Sender{Store: store, Transport: bm, Log: quiet(), Now: clk.Now, Lease: time.Second, SendTimeout: time.Minute}
	done := make(chan struct{})
	go func() { flush(t, s); close(done) }()
	<-bm.started
	clk.Add(time.Hour)
	taken, err := store.ClaimMail(context.Background(), clk.Now(), time.Hour, 1)
	if err != nil || len(taken) != 1 {
		t.Fatalf("takeover claim: %v, %v", taken, err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the send went on after its lease was taken over")
	}
	if got := store.get("a"); got.ClaimToken != taken[0].ClaimToken || got.LastError != "" || got.Failed {
		t.Errorf("after the takeover: %+v; want the new holder's claim, untouched", got)
	}
}
