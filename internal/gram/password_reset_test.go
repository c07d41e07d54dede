package gram

import (
	"context"
	"slices"
	"sync"
	"testing"
)

// callStore records the store calls of forgot-password; one address has
// an account.
type callStore struct {
	Store
	mu    sync.Mutex
	calls []string
}

func (s *callStore) record(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *callStore) taken() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *callStore) UserByEmail(_ context.Context, email string) (*User, error) {
	s.record("UserByEmail " + email)
	if email != "ada@example.com" {
		return nil, ErrNotFound
	}
	return &User{ID: "ada-id", Username: "ada", Email: email, Firstname: "Ada", Active: true}, nil
}

func (s *callStore) SetPasswordReset(_ context.Context, r PasswordReset, m *OutboxMail) error {
	s.record("SetPasswordReset " + r.UserID + " " + m.To)
	return nil
}

type fakeRenderer struct{}

func (fakeRenderer) Render(kind, to string, _ MailData) (Message, error) {
	return Message{To: to, Subject: kind}, nil
}

// Forgot-password does the same before it answers for an address with an
// account and one without: validation only, no store call, so the answer
// and its timing cannot tell them apart. The lookup and the mail run once
// the transport releases its hold, after its answer.
func TestForgotPasswordSameWorkBeforeAnswer(t *testing.T) {
	store := &callStore{}
	s := New(Deps{Store: store, Mail: fakeRenderer{}}, Config{})
	ctx, release := HoldOffPath(context.Background())
	for _, email := range []string{"ada@example.com", "nobody@example.com"} {
		if err := s.ForgotPassword(ctx, email); err != nil {
			t.Fatalf("ForgotPassword(%s) = %v", email, err)
		}
		if calls := store.taken(); len(calls) != 0 {
			t.Fatalf("store calls before the answer for %s: %v; want none", email, calls)
		}
	}
	release()
	s.Wait()
	calls := store.taken()
	slices.Sort(calls)
	want := []string{"SetPasswordReset ada-id ada@example.com", "UserByEmail ada@example.com", "UserByEmail nobody@example.com"}
	if !slices.Equal(calls, want) {
		t.Errorf("store calls after the answers: %v; want %v", calls, want)
	}
}

// Validation still answers before anything is started.
func TestForgotPasswordValidation(t *testing.T) {
	store := &callStore{}
	s := New(Deps{Store: store, Mail: fakeRenderer{}}, Config{})
	for email, want := range map[string]string{
		"":             "Please type your email address to reset your password.",
		"not-an-email": "Please type a valid email address.",
	} {
		if err := s.ForgotPassword(context.Background(), email); ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
			t.Errorf("ForgotPassword(%q) = %v; want %q", email, err, want)
		}
	}
	s.Wait()
	if calls := store.taken(); len(calls) != 0 {
		t.Errorf("store calls after invalid requests: %v", calls)
	}
}
