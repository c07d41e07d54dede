package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var passwordResetTests = []test{
	{"ResetPassword/OKSingleUse", testResetPassword},
	{"ResetPassword/Expired", testResetExpired},
	{"ResetPassword/FnErrorKeepsToken", testResetFnError},
	{"SetPasswordReset/ReplacesPrevious", testResetReplaces},
	{"SetPasswordReset/QueuesMail", testResetMail},
	{"SetPasswordReset/Concurrent", testResetConcurrent},
}

func setReset(t *testing.T, s gram.Store, u *gram.User, hash string, expires time.Time) {
	t.Helper()
	noErr(t, "SetPasswordReset", s.SetPasswordReset(t.Context(), gram.PasswordReset{UserID: u.ID, TokenHash: hash, ExpiresAt: expires}, nil))
}

func setHash(h string) func(*gram.User) error {
	return func(u *gram.User) error { u.PasswordHash = h; return nil }
}

func testResetPassword(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	setReset(t, s, alice, "h1", At(10*time.Minute))
	setReset(t, s, bob, "h2", At(10*time.Minute))
	got, err := s.ResetPassword(t.Context(), "h1", At(time.Minute), setHash("new"))
	noErr(t, "ResetPassword", err)
	if got.ID != alice.ID || got.PasswordHash != "new" {
		t.Errorf("ResetPassword = %s with hash %q; want alice with the new hash", got.Username, got.PasswordHash)
	}
	stored, err := s.UserByID(t.Context(), alice.ID)
	noErr(t, "UserByID", err)
	if stored.PasswordHash != "new" {
		t.Errorf("stored hash = %q; want new", stored.PasswordHash)
	}
	_, err = s.ResetPassword(t.Context(), "h1", At(time.Minute), setHash("again"))
	wantErr(t, "ResetPassword(used token)", err, gram.ErrNotFound)
	_, err = s.ResetPassword(t.Context(), "unknown", At(time.Minute), setHash("x"))
	wantErr(t, "ResetPassword(unknown)", err, gram.ErrNotFound)
	// Bob's token is untouched.
	noErr(t, "ResetPassword(bob)", errOf(s.ResetPassword(t.Context(), "h2", At(time.Minute), setHash("b"))))
}

func testResetExpired(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setReset(t, s, alice, "h1", At(10*time.Minute))
	for _, now := range []time.Time{At(10 * time.Minute), At(11 * time.Minute)} {
		_, err := s.ResetPassword(t.Context(), "h1", now, setHash("x"))
		wantErr(t, "ResetPassword(expired)", err, gram.ErrNotFound)
	}
	got, err := s.UserByID(t.Context(), alice.ID)
	noErr(t, "UserByID", err)
	if got.PasswordHash != alice.PasswordHash {
		t.Errorf("hash changed by an expired token")
	}
	noErr(t, "ResetPassword(just in time)", errOf(s.ResetPassword(t.Context(), "h1", At(10*time.Minute-time.Millisecond), setHash("x"))))
}

func testResetFnError(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setReset(t, s, alice, "h1", At(10*time.Minute))
	boom := errors.New("weak password")
	_, err := s.ResetPassword(t.Context(), "h1", T0, func(u *gram.User) error { u.PasswordHash = "bad"; return boom })
	if err != boom {
		t.Errorf("ResetPassword err = %v; want the fn's error as is", err)
	}
	got, err := s.ResetPassword(t.Context(), "h1", T0, setHash("good"))
	noErr(t, "ResetPassword(after fn error)", err)
	if got.PasswordHash != "good" {
		t.Errorf("hash = %q; want good", got.PasswordHash)
	}
}

func testResetReplaces(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setReset(t, s, alice, "h1", At(10*time.Minute))
	setReset(t, s, alice, "h2", At(20*time.Minute))
	_, err := s.ResetPassword(t.Context(), "h1", T0, setHash("x"))
	wantErr(t, "ResetPassword(replaced token)", err, gram.ErrNotFound)
	noErr(t, "ResetPassword(new token)", errOf(s.ResetPassword(t.Context(), "h2", At(15*time.Minute), setHash("y"))))
}

func testResetMail(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	m := &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(T0), To: alice.Email, Subject: "Reset", Text: "link"}, CreatedAt: T0, NextAttemptAt: T0}
	noErr(t, "SetPasswordReset", s.SetPasswordReset(t.Context(), gram.PasswordReset{UserID: alice.ID, TokenHash: "h", ExpiresAt: At(time.Hour)}, m))
	got, err := s.ClaimMail(t.Context(), T0, time.Minute, 10)
	noErr(t, "ClaimMail", err)
	if len(got) != 1 || got[0].ID != m.ID {
		t.Errorf("ClaimMail = %+v; want the reset mail", got)
	}
}

// testResetConcurrent: requests for one account at the same moment (two
// replicas, or two clicks) all succeed and all queue their mail; the
// token of one of them works, the others are replaced.
func testResetConcurrent(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m := &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(T0), To: alice.Email, Subject: "Reset", Text: "link"}, CreatedAt: T0, NextAttemptAt: T0}
			r := gram.PasswordReset{UserID: alice.ID, TokenHash: "h" + itoa(i), ExpiresAt: At(time.Hour)}
			if err := s.SetPasswordReset(t.Context(), r, m); err != nil {
				t.Errorf("SetPasswordReset %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, err := s.ClaimMail(t.Context(), T0, time.Minute, 2*n)
	noErr(t, "ClaimMail", err)
	if len(got) != n {
		t.Errorf("ClaimMail = %d mails; want %d, one per request", len(got), n)
	}
	works := 0
	for i := range n {
		if _, err := s.ResetPassword(t.Context(), "h"+itoa(i), At(time.Minute), setHash("new")); err == nil {
			works++
		} else {
			wantErr(t, "ResetPassword(replaced token)", err, gram.ErrNotFound)
		}
	}
	if works != 1 {
		t.Errorf("%d tokens work; want the one set last", works)
	}
}
