package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var outboxTests = []test{
	{"ClaimMail/RoundTripLease", testClaimMail},
	{"ClaimMail/DueOrderLimit", testClaimOrder},
	{"MarkMailSent/OK", testMarkSent},
	{"MarkMailFailed/RetryAndGiveUp", testMarkFailed},
	{"ClaimMail/ConcurrentClaimersDisjoint", testClaimConcurrent},
	{"MarkMail/StaleClaimRefused", testMarkStaleClaim},
	{"SuppressMail/OK", testSuppressMail},
	{"RenewMailLease/ExtendsHoldersLease", testRenewLease},
	{"RenewMailLease/RefusedWhenNotHeld", testRenewLeaseRefused},
}

func newMail(t *testing.T, s gram.Store, due time.Time) gram.OutboxMail {
	t.Helper()
	m := gram.OutboxMail{
		Message:   gram.Message{ID: gram.NewID(due), To: "to@example.com", Subject: "Subject ✉", HTML: "<p>hi</p>", Text: "hi"},
		CreatedAt: At(-time.Minute), NextAttemptAt: due,
	}
	noErr(t, "EnqueueMail", s.EnqueueMail(t.Context(), m))
	return m
}

func claim(t *testing.T, s gram.Store, now time.Time, lease time.Duration, limit int) []gram.OutboxMail {
	t.Helper()
	got, err := s.ClaimMail(t.Context(), now, lease, limit)
	noErr(t, "ClaimMail", err)
	return got
}

func mailIDs(ms []gram.OutboxMail) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func testClaimMail(t *testing.T, s gram.Store) {
	m := newMail(t, s, T0)
	now := At(time.Second)
	got := claim(t, s, now, time.Minute, 10)
	want := m
	want.Attempts, want.NextAttemptAt = 1, now.Add(time.Minute)
	if len(got) == 1 {
		if got[0].ClaimToken == "" {
			t.Errorf("ClaimMail gave no claim token")
		}
		want.ClaimToken = got[0].ClaimToken
	}
	if diff := cmp.Diff([]gram.OutboxMail{want}, got); diff != "" {
		t.Errorf("ClaimMail (-want +got):\n%s", diff)
	}
	if got := claim(t, s, now, time.Minute, 10); len(got) != 0 {
		t.Errorf("second claim during the lease = %d messages; want 0", len(got))
	}
	if got := claim(t, s, now.Add(59*time.Second), time.Minute, 10); len(got) != 0 {
		t.Errorf("claim before the lease ends = %d messages; want 0", len(got))
	}
	got = claim(t, s, now.Add(time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Attempts != 2 {
		t.Errorf("claim after the lease = %+v; want the message with 2 attempts", got)
	}
}

func testClaimOrder(t *testing.T, s gram.Store) {
	late := newMail(t, s, At(2*time.Second))
	early := newMail(t, s, At(time.Second))
	newMail(t, s, At(time.Hour)) // not due
	if diff := cmp.Diff([]string{early.ID}, mailIDs(claim(t, s, At(time.Minute), time.Minute, 1))); diff != "" {
		t.Errorf("claim(limit 1) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{late.ID}, mailIDs(claim(t, s, At(time.Minute), time.Minute, 10))); diff != "" {
		t.Errorf("claim (-want +got):\n%s", diff)
	}
}

func testMarkSent(t *testing.T, s gram.Store) {
	m := newMail(t, s, T0)
	c := claim(t, s, T0, time.Second, 10)[0]
	noErr(t, "MarkMailSent", s.MarkMailSent(t.Context(), m.ID, c.ClaimToken, At(time.Millisecond)))
	if got := claim(t, s, At(time.Hour), time.Second, 10); len(got) != 0 {
		t.Errorf("claim after sent = %d messages; want 0", len(got))
	}
	wantErr(t, "MarkMailSent(unknown)", s.MarkMailSent(t.Context(), missingID(), "x", T0), gram.ErrNotFound)
}

func testMarkFailed(t *testing.T, s gram.Store) {
	m, g := newMail(t, s, T0), newMail(t, s, T0)
	claims := map[string]string{}
	for _, c := range claim(t, s, T0, time.Second, 10) {
		claims[c.ID] = c.ClaimToken
	}
	noErr(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), m.ID, claims[m.ID], "421 try later", At(time.Hour), false))
	noErr(t, "MarkMailFailed(give up)", s.MarkMailFailed(t.Context(), g.ID, claims[g.ID], "550 no such user", At(time.Hour), true))
	if got := claim(t, s, At(time.Hour-time.Millisecond), time.Second, 10); len(got) != 0 {
		t.Errorf("claim before retryAt = %d messages; want 0", len(got))
	}
	got := claim(t, s, At(time.Hour), time.Second, 10)
	if len(got) != 1 || got[0].ID != m.ID || got[0].LastError != "421 try later" || got[0].Attempts != 2 {
		t.Errorf("claim at retryAt = %+v; want only the retried message, with its error", got)
	}
	if got := claim(t, s, At(100*time.Hour), time.Second, 10); len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("the given-up message was claimed again: %v", mailIDs(got))
	}
	wantErr(t, "MarkMailFailed(unknown)", s.MarkMailFailed(t.Context(), missingID(), "x", "x", T0, false), gram.ErrNotFound)
}

// testClaimConcurrent: two senders claim in a loop; every message is
// claimed by exactly one of them.
func testClaimConcurrent(t *testing.T, s gram.Store) {
	const n = 100
	for range n {
		newMail(t, s, T0)
	}
	wantDisjointClaims(t, n, func() ([]string, error) {
		got, err := s.ClaimMail(t.Context(), T0, time.Hour, 7)
		return mailIDs(got), err
	})
}

// testMarkStaleClaim: a sender whose lease ran out, and whose message
// another sender then claimed, can record nothing; the new holder can.
func testMarkStaleClaim(t *testing.T, s gram.Store) {
	m := newMail(t, s, T0)
	first := claim(t, s, T0, time.Minute, 10)
	second := claim(t, s, At(time.Minute), time.Minute, 10)
	if len(first) != 1 || len(second) != 1 || first[0].ClaimToken == second[0].ClaimToken {
		t.Fatalf("claims %+v then %+v; want the message twice, with different claim tokens", first, second)
	}
	stale, fresh := first[0].ClaimToken, second[0].ClaimToken
	wantErr(t, "MarkMailSent(stale claim)", s.MarkMailSent(t.Context(), m.ID, stale, At(time.Minute)), gram.ErrConflict)
	wantErr(t, "MarkMailFailed(stale claim)", s.MarkMailFailed(t.Context(), m.ID, stale, "late", At(time.Hour), true), gram.ErrConflict)
	wantErr(t, "MarkMailSent(no claim)", s.MarkMailSent(t.Context(), m.ID, "", At(time.Minute)), gram.ErrConflict)
	noErr(t, "MarkMailFailed(fresh claim)", s.MarkMailFailed(t.Context(), m.ID, fresh, "421", At(2*time.Minute), false))
	got := claim(t, s, At(2*time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Failed || got[0].LastError != "421" {
		t.Fatalf("after the fresh holder's retry: %+v; want the message due, not given up, with its error", got)
	}
	noErr(t, "MarkMailSent(latest claim)", s.MarkMailSent(t.Context(), m.ID, got[0].ClaimToken, At(2*time.Minute)))
	wantErr(t, "MarkMailFailed(after sent, old claim)", s.MarkMailFailed(t.Context(), m.ID, fresh, "x", T0, false), gram.ErrConflict)
	if got := claim(t, s, At(time.Hour), time.Minute, 10); len(got) != 0 {
		t.Errorf("claim after sent = %d messages; want 0", len(got))
	}
}

func testSuppressMail(t *testing.T, s gram.Store) {
	suppressed := func(email string) bool {
		t.Helper()
		ok, err := s.MailSuppressed(t.Context(), email)
		noErr(t, "MailSuppressed", err)
		return ok
	}
	if suppressed("ada@example.com") {
		t.Fatal("an unknown address is suppressed")
	}
	noErr(t, "SuppressMail", s.SuppressMail(t.Context(), "Ada@Example.com", gram.SuppressBounce, T0))
	noErr(t, "SuppressMail(again)", s.SuppressMail(t.Context(), "ada@example.com", gram.SuppressComplaint, At(time.Hour)))
	if !suppressed("ada@example.com") || !suppressed("ADA@example.com") {
		t.Error("a suppressed address is not suppressed (case-insensitively)")
	}
	if suppressed("bob@example.com") {
		t.Error("suppressing ada suppressed bob")
	}
}

// testRenewLease: the holder's renewal moves the lease end, so nobody
// claims the message until the renewed lease runs out.
func testRenewLease(t *testing.T, s gram.Store) {
	m := newMail(t, s, T0)
	c := claim(t, s, T0, time.Minute, 10)[0]
	noErr(t, "RenewMailLease", s.RenewMailLease(t.Context(), m.ID, c.ClaimToken, At(3*time.Minute)))
	if got := claim(t, s, At(3*time.Minute-time.Millisecond), time.Minute, 10); len(got) != 0 {
		t.Errorf("claim during the renewed lease = %d messages; want 0", len(got))
	}
	got := claim(t, s, At(3*time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Attempts != 2 || got[0].ClaimToken == c.ClaimToken {
		t.Errorf("claim after the renewed lease = %+v; want the message, 2 attempts, a new claim token", got)
	}
}

// testRenewLeaseRefused: only the latest claim of a pending message can
// be renewed: not a superseded claim, nor a message sent or given up.
func testRenewLeaseRefused(t *testing.T, s gram.Store) {
	wantErr(t, "RenewMailLease(unknown)", s.RenewMailLease(t.Context(), missingID(), "x", At(time.Hour)), gram.ErrNotFound)
	m := newMail(t, s, T0)
	stale := claim(t, s, T0, time.Minute, 10)[0].ClaimToken
	fresh := claim(t, s, At(time.Minute), time.Minute, 10)[0].ClaimToken
	wantErr(t, "RenewMailLease(stale claim)", s.RenewMailLease(t.Context(), m.ID, stale, At(time.Hour)), gram.ErrConflict)
	noErr(t, "MarkMailSent", s.MarkMailSent(t.Context(), m.ID, fresh, At(time.Minute)))
	wantErr(t, "RenewMailLease(sent)", s.RenewMailLease(t.Context(), m.ID, fresh, At(time.Hour)), gram.ErrConflict)

	g := newMail(t, s, At(2*time.Minute))
	gc := claim(t, s, At(2*time.Minute), time.Minute, 10)[0].ClaimToken
	noErr(t, "MarkMailFailed(give up)", s.MarkMailFailed(t.Context(), g.ID, gc, "550", At(time.Hour), true))
	wantErr(t, "RenewMailLease(given up)", s.RenewMailLease(t.Context(), g.ID, gc, At(time.Hour)), gram.ErrConflict)
}
