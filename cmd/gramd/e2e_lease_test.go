package main

import (
	"database/sql"
	"net/url"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/instamern/gram/internal/testenv"
)

// The outbox's leases against a real SMTP server (Mailpit) behind a proxy
// whose connections the test freezes, with gramd processes the test kills
// (SIGKILL) or freezes (SIGSTOP) in the middle of a send.

// mailpitCount returns how many messages Mailpit holds for addr.
func mailpitCount(t *testing.T, base, addr string) int {
	t.Helper()
	var res struct{ Messages []struct{ ID string } }
	mailpitGet(t, base+"/api/v1/search?query="+url.QueryEscape(`to:"`+addr+`"`), &res)
	return len(res.Messages)
}

// waitMailpitCount waits up to d until Mailpit holds n messages for addr.
func waitMailpitCount(t *testing.T, base, addr string, n int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for mailpitCount(t, base, addr) < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d messages to %s in Mailpit within %v", n, addr, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// leaseRig is a data dir whose gramd processes send mail to Mailpit
// through proxy, and the address of a user whose reset mail is in flight.
type leaseRig struct {
	base, dir, addr string
	proxy           *testenv.Proxy
}

// start starts a gramd process on the rig's data dir; extra settings
// override the rig's.
func (r *leaseRig) start(t *testing.T, extra ...string) *gramd {
	t.Helper()
	return startGramd(t, r.dir, append([]string{"MAIL_URL=smtp://" + r.proxy.Addr() + "?tls=none",
		"MAIL_FROM=InstaMERN <no-reply@instamern.app>", "MAIL_RETRY_MIN=1s", "MAIL_LEASE=2s"}, extra...)...)
}

// hangReset starts a gramd process with leases of 2 seconds (renewed
// every 0.67 s during a send), signs up username (its welcome mail
// delivered), freezes the proxy, asks for a reset link and waits until
// the process's send of it hangs.
func hangReset(t *testing.T, username string) (*leaseRig, *gramd) {
	t.Helper()
	r := &leaseRig{base: needMailpit(t), dir: t.TempDir(), proxy: testenv.NewProxy(t, mailpitSMTP())}
	g := r.start(t)
	r.addr = signupAt(t, g, username)
	waitMailpitCount(t, r.base, r.addr, 1, 15*time.Second)
	r.proxy.Freeze()
	askReset(t, g, r.addr)
	if !r.proxy.WaitFrozen(1, 15*time.Second) {
		t.Fatal("the reset mail's send never started")
	}
	return r, g
}

// TestE2E_MailKilledMidSend: the process dies (SIGKILL) while its send of
// a reset mail hangs; the next process delivers it once its claim has run
// out, seconds later (one lease), not minutes; Mailpit gets it once.
func TestE2E_MailKilledMidSend(t *testing.T) {
	r, g := hangReset(t, "killed")
	if err := g.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	g.waitExit(10 * time.Second)
	r.proxy.Thaw()
	start := time.Now()
	g = r.start(t)
	mailpitResets(t, r.base, r.addr, 20*time.Second) // waits until the mail has come
	t.Logf("reset mail delivered %v after the restart", time.Since(start))
	time.Sleep(3 * time.Second) // a second delivery would come within a lease and a poll
	tokens := mailpitResets(t, r.base, r.addr, time.Second)
	if len(tokens) != 1 {
		t.Fatalf("%d reset mails to %s; want exactly one", len(tokens), r.addr)
	}
	useReset(t, g, "killed", tokens[0])
	g.terminate()
}

// TestE2E_MailFrozenSenderNeverSendsTwice: two processes share the
// database. The first is frozen (SIGSTOP) while its send of a reset mail
// hangs; its lease runs out and the second delivers the mail. When the
// first resumes (SIGCONT) and its connection to the mail server works
// again, it must not deliver the mail a second time: its send is cut as
// soon as it runs, because its lease is over.
func TestE2E_MailFrozenSenderNeverSendsTwice(t *testing.T) {
	r, first := hangReset(t, "frozen")
	second := r.start(t)
	stopIdle(t, first, filepath.Join(r.dir, "data", "gram.db"))
	r.proxy.ThawNew()                                // the second process's sends go through; the first's stays frozen
	mailpitResets(t, r.base, r.addr, 20*time.Second) // waits until the mail has come
	if err := first.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	first.waitLog("lease lost during the send", 10*time.Second)
	r.proxy.Thaw() // had the first kept its connection, it could deliver now
	time.Sleep(2 * time.Second)
	tokens := mailpitResets(t, r.base, r.addr, time.Second)
	if len(tokens) != 1 || mailpitCount(t, r.base, r.addr) != 2 {
		t.Fatalf("%d reset mails (%d in all) to %s; want one reset mail and the welcome", len(tokens), mailpitCount(t, r.base, r.addr), r.addr)
	}
	useReset(t, second, "frozen", tokens[0])
	first.terminate()
	second.terminate()
}

// stopIdle freezes g (SIGSTOP) at a moment it holds no write lock on the
// SQLite file at path, so that the other process can still write: it
// resumes g and tries again when it caught g inside a transaction.
func stopIdle(t *testing.T, g *gramd, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(200)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 20 {
		if err := g.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err == nil {
			_ = tx.Rollback()
			return
		}
		if err := g.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("gramd held the database's write lock at every try")
}
