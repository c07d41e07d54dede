package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var emailChangeTests = []test{
	{"ConfirmEmailChange/OKSingleUse", testConfirmEmail},
	{"ConfirmEmailChange/Expired", testConfirmEmailExpired},
	{"ConfirmEmailChange/TakenMeanwhile", testConfirmEmailTaken},
	{"ConfirmEmailChange/ApplyErrorKeepsChange", testConfirmEmailApplyError},
	{"SetEmailChange/ReplacesPreviousQueuesMail", testEmailChangeReplaces},
	{"SetEmailChange/UnknownUser", testEmailChangeUnknownUser},
	{"DeleteUser/DropsEmailChange", testEmailChangeCascade},
	{"CancelEmailChange/OnlyThatUser", testCancelEmailChange},
}

func setEmailChange(t *testing.T, s gram.Store, u *gram.User, email, hash string, expires time.Time, mails ...*gram.OutboxMail) {
	t.Helper()
	c := gram.EmailChange{UserID: u.ID, NewEmail: email, TokenHash: hash, ExpiresAt: expires}
	noErr(t, "SetEmailChange", s.SetEmailChange(t.Context(), c, mails...))
}

func mailTo(to string) *gram.OutboxMail {
	return &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(T0), To: to, Subject: "s", Text: "t"}, CreatedAt: T0, NextAttemptAt: T0}
}

// setEmail is an apply function that sets the address and queues a notice
// to the old one, recording what it saw.
func setEmail(sawOld, sawNew *string) func(*gram.User, string) (*gram.OutboxMail, error) {
	return func(u *gram.User, email string) (*gram.OutboxMail, error) {
		*sawOld, *sawNew = u.Email, email
		m := mailTo(u.Email)
		u.Email = email
		return m, nil
	}
}

func testConfirmEmail(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	setEmailChange(t, s, bob, "bobby@example.com", "h2", At(time.Hour))
	var old, next string
	got, err := s.ConfirmEmailChange(t.Context(), "h1", At(time.Minute), setEmail(&old, &next))
	noErr(t, "ConfirmEmailChange", err)
	if got.ID != alice.ID || got.Email != "ada@example.com" || old != alice.Email || next != "ada@example.com" {
		t.Errorf("ConfirmEmailChange = %s <%s> (apply saw %q -> %q); want alice <ada@example.com>", got.Username, got.Email, old, next)
	}
	stored, err := s.UserByEmail(t.Context(), "ada@example.com")
	noErr(t, "UserByEmail(new)", err)
	if stored.ID != alice.ID {
		t.Errorf("the new address belongs to %s; want alice", stored.Username)
	}
	_, err = s.UserByEmail(t.Context(), alice.Email)
	wantErr(t, "UserByEmail(old)", err, gram.ErrNotFound)
	queued := claim(t, s, At(time.Hour), time.Minute, 10)
	if len(queued) != 1 || queued[0].To != alice.Email {
		t.Errorf("queued %+v; want the notice to the old address", queued)
	}
	_, err = s.ConfirmEmailChange(t.Context(), "h1", At(time.Minute), setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(used token)", err, gram.ErrNotFound)
	_, err = s.ConfirmEmailChange(t.Context(), "unknown", At(time.Minute), setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(unknown)", err, gram.ErrNotFound)
	noErr(t, "ConfirmEmailChange(bob)", errOf(s.ConfirmEmailChange(t.Context(), "h2", At(time.Minute), setEmail(&old, &next))))
}

func testConfirmEmailExpired(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	var old, next string
	for _, now := range []time.Time{At(time.Hour), At(2 * time.Hour)} {
		_, err := s.ConfirmEmailChange(t.Context(), "h1", now, setEmail(&old, &next))
		wantErr(t, "ConfirmEmailChange(expired)", err, gram.ErrNotFound)
	}
	if old != "" {
		t.Errorf("apply was called for an expired change")
	}
	noErr(t, "ConfirmEmailChange(just in time)", errOf(s.ConfirmEmailChange(t.Context(), "h1", At(time.Hour-time.Millisecond), setEmail(&old, &next))))
}

// testConfirmEmailTaken: another account took the address between the
// request and the confirmation: a conflict, nothing changes or is queued.
func testConfirmEmailTaken(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	noErr(t, "UpdateUser(bob)", errOf(s.UpdateUser(t.Context(), bob.ID, func(u *gram.User) error { u.Email = "ada@example.com"; return nil })))
	var old, next string
	_, err := s.ConfirmEmailChange(t.Context(), "h1", At(time.Minute), setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(taken)", err, gram.ErrConflict)
	got, err := s.UserByID(t.Context(), alice.ID)
	noErr(t, "UserByID", err)
	if got.Email != alice.Email {
		t.Errorf("alice's email = %q; want unchanged %q", got.Email, alice.Email)
	}
	if q := claim(t, s, At(time.Hour), time.Minute, 10); len(q) != 0 {
		t.Errorf("queued %d mails after a conflict; want 0", len(q))
	}
}

func testConfirmEmailApplyError(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	boom := errors.New("render failed")
	_, err := s.ConfirmEmailChange(t.Context(), "h1", T0, func(u *gram.User, email string) (*gram.OutboxMail, error) {
		u.Email = email
		return nil, boom
	})
	if err != boom {
		t.Errorf("ConfirmEmailChange err = %v; want apply's error as is", err)
	}
	var old, next string
	noErr(t, "ConfirmEmailChange(after apply error)", errOf(s.ConfirmEmailChange(t.Context(), "h1", T0, setEmail(&old, &next))))
}

func testEmailChangeReplaces(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setEmailChange(t, s, alice, "one@example.com", "h1", At(time.Hour), mailTo("one@example.com"), nil, mailTo(alice.Email))
	setEmailChange(t, s, alice, "two@example.com", "h2", At(time.Hour))
	var old, next string
	_, err := s.ConfirmEmailChange(t.Context(), "h1", T0, setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(replaced token)", err, gram.ErrNotFound)
	got, err := s.ConfirmEmailChange(t.Context(), "h2", T0, setEmail(&old, &next))
	noErr(t, "ConfirmEmailChange(new token)", err)
	if got.Email != "two@example.com" {
		t.Errorf("email = %q; want two@example.com", got.Email)
	}
	q := claim(t, s, At(time.Hour), time.Minute, 10)
	if len(q) != 3 {
		t.Errorf("queued %d mails; want the two of the first request and the notice of the confirmation", len(q))
	}
}

func testEmailChangeUnknownUser(t *testing.T, s gram.Store) {
	c := gram.EmailChange{UserID: missingID(), NewEmail: "x@example.com", TokenHash: "h", ExpiresAt: At(time.Hour)}
	wantErr(t, "SetEmailChange(unknown user)", s.SetEmailChange(t.Context(), c, mailTo("x@example.com")), gram.ErrNotFound)
	if q := claim(t, s, At(time.Hour), time.Minute, 10); len(q) != 0 {
		t.Errorf("queued %d mails for an unknown user; want 0", len(q))
	}
}

func testEmailChangeCascade(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), alice.ID))
	var old, next string
	_, err := s.ConfirmEmailChange(t.Context(), "h1", T0, setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(deleted user)", err, gram.ErrNotFound)
}

func testCancelEmailChange(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	setEmailChange(t, s, alice, "ada@example.com", "h1", At(time.Hour))
	setEmailChange(t, s, bob, "bobby@example.com", "h2", At(time.Hour))
	noErr(t, "CancelEmailChange", s.CancelEmailChange(t.Context(), alice.ID))
	noErr(t, "CancelEmailChange(again)", s.CancelEmailChange(t.Context(), alice.ID))
	var old, next string
	_, err := s.ConfirmEmailChange(t.Context(), "h1", At(time.Minute), setEmail(&old, &next))
	wantErr(t, "ConfirmEmailChange(cancelled)", err, gram.ErrNotFound)
	_, err = s.ConfirmEmailChange(t.Context(), "h2", At(time.Minute), setEmail(&old, &next))
	noErr(t, "ConfirmEmailChange(bob's)", err)
}
