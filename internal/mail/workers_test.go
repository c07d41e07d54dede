package mail_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/testenv"
)

// The sender against Mailpit through a proxy whose connections the test
// freezes: a frozen connection is an SMTP server that accepted the
// connection and then hangs.

// mailpitProxy returns a proxy to Mailpit's SMTP port and an SMTP
// transport through it.
func mailpitProxy(t *testing.T) (*testenv.Proxy, *mail.SMTP) {
	t.Helper()
	needEnv(t, "GRAM_TEST_SMTP")
	target := "127.0.0.1:1025"
	if u, err := url.Parse(envOr("MAIL_URL", "")); err == nil && u.Host != "" {
		target = u.Host
	}
	p := testenv.NewProxy(t, target)
	return p, &mail.SMTP{Addr: p.Addr(), From: testFrom, TLS: mail.TLSNone}
}

// run runs s until the end of the test.
func run(t *testing.T, s *mail.Sender) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// enqueueTo queues the reset mail to rcpt, due now, and returns it.
func enqueueTo(t *testing.T, store gram.OutboxStore, rcpt string) gram.Message {
	t.Helper()
	m := resetMessage(t, rcpt)
	now := time.Now()
	if err := store.EnqueueMail(context.Background(), gram.OutboxMail{Message: m, CreatedAt: now, NextAttemptAt: now}); err != nil {
		t.Fatal(err)
	}
	return m
}

// mailpitCount returns how many messages Mailpit holds for rcpt.
func mailpitCount(t *testing.T, rcpt string) int {
	t.Helper()
	var res struct{ Messages []struct{ ID string } }
	getJSON(t, envOr("MAILPIT_URL", "http://127.0.0.1:8025")+"/api/v1/search?query="+url.QueryEscape(`to:"`+rcpt+`"`), &res)
	return len(res.Messages)
}

// hangFirst freezes the proxy, queues a mail to a fresh recipient, runs s
// and waits until s's send of it hangs on a frozen connection.
func hangFirst(t *testing.T, proxy *testenv.Proxy, store gram.OutboxStore, s *mail.Sender) (string, gram.Message) {
	t.Helper()
	proxy.Freeze()
	rcpt := uniqueRcpt(t)
	m := enqueueTo(t, store, rcpt)
	run(t, s)
	if !proxy.WaitFrozen(1, 10*time.Second) {
		t.Fatal("the sender never connected")
	}
	return rcpt, m
}

// TestSender_MailpitHungSendDoesNotBlock: while one send hangs on a frozen
// connection, the other workers deliver the rest; once the connection
// thaws, the hung message is delivered too, once.
func TestSender_MailpitHungSendDoesNotBlock(t *testing.T) {
	proxy, tr := mailpitProxy(t)
	store := newMemOutbox()
	s := &mail.Sender{Store: store, Transport: tr, Log: quiet(), Workers: 4, SendTimeout: time.Minute, Interval: 50 * time.Millisecond}
	hungRcpt, hung := hangFirst(t, proxy, store, s)
	proxy.ThawNew()
	var rcpts []string
	for i := range 3 {
		rcpts = append(rcpts, strings.Replace(uniqueRcpt(t), "@", "-"+string(rune('a'+i))+"@", 1))
		enqueueTo(t, store, rcpts[i])
	}
	s.Wake()
	for _, rcpt := range rcpts {
		mailpitFind(t, rcpt) // waits up to 10s; the hung send lasts up to a minute
	}
	if got := store.get(hung.ID); !got.SentAt.IsZero() || mailpitCount(t, hungRcpt) != 0 {
		t.Fatalf("the hung message was delivered while its connection was frozen: %+v", got)
	}
	proxy.Thaw()
	checkMailpit(t, mailpitFind(t, hungRcpt), hung)
	if got := store.waitSent(t, hung.ID); got.SentAt.IsZero() || got.Attempts != 1 {
		t.Errorf("hung message after the thaw: %+v; want sent in its first attempt", got)
	}
}

// TestSender_MailpitHungSendTimesOut: a send that hangs is given up after
// SendTimeout and retried on a new connection; the mail arrives once.
func TestSender_MailpitHungSendTimesOut(t *testing.T) {
	proxy, tr := mailpitProxy(t)
	store := newMemOutbox()
	s := &mail.Sender{Store: store, Transport: tr, Log: quiet(), SendTimeout: 500 * time.Millisecond,
		Interval: 50 * time.Millisecond, Backoff: func(int) time.Duration { return 0 }}
	rcpt, m := hangFirst(t, proxy, store, s)
	proxy.ThawNew() // the retry gets a working connection; the first stays hung
	checkMailpit(t, mailpitFind(t, rcpt), m)
	got := store.waitSent(t, m.ID)
	if got.SentAt.IsZero() || got.Attempts != 2 {
		t.Errorf("after the retry: %+v; want sent in the second attempt", got)
	}
	time.Sleep(200 * time.Millisecond)
	if n := mailpitCount(t, rcpt); n != 1 {
		t.Errorf("%d messages to %s; want 1", n, rcpt)
	}
}

// TestSender_MailpitSlowSendSentOnce: two senders (two replicas) share a
// real SQLite outbox; the first one's send hangs for several leases. It
// keeps renewing its lease, so the second never claims the message, and
// Mailpit receives it once when the connection thaws.
func TestSender_MailpitSlowSendSentOnce(t *testing.T) {
	proxy, tr := mailpitProxy(t)
	store, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "gram.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	const lease = 600 * time.Millisecond
	sender := func() *mail.Sender {
		return &mail.Sender{Store: store, Transport: tr, Log: quiet(), Lease: lease, SendTimeout: time.Minute, Interval: 50 * time.Millisecond}
	}
	rcpt, m := hangFirst(t, proxy, store, sender())
	proxy.ThawNew() // the second sender could deliver, if it claimed the message
	run(t, sender())
	time.Sleep(4 * lease)
	if n := mailpitCount(t, rcpt); n != 0 {
		t.Fatalf("%d messages to %s while the only claimed send hung; want 0", n, rcpt)
	}
	proxy.Thaw()
	checkMailpit(t, mailpitFind(t, rcpt), m)
	time.Sleep(2 * lease)
	if n := mailpitCount(t, rcpt); n != 1 {
		t.Errorf("%d messages to %s; want 1", n, rcpt)
	}
}
