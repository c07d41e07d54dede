package api_test

import (
	"context"
	"errors"
	"testing"
)

// fakeDomains is a gram.DomainChecker: domains in dead cannot receive
// mail, domains in failing make the lookup fail, others can.
type fakeDomains struct{ dead, failing map[string]bool }

func (f fakeDomains) CanReceiveMail(_ context.Context, domain string) (bool, error) {
	if f.failing[domain] {
		return false, errors.New("dns: server failure")
	}
	return !f.dead[domain], nil
}

// The optional deliverability check refuses addresses whose domain cannot
// receive mail at signup and change-email, and never blocks on a DNS failure.
func TestMailDomainCheck(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b, withDomains(fakeDomains{dead: map[string]bool{"nomail.example": true}, failing: map[string]bool{"flaky.example": true}}))
		alice := h.signup(t, "alice")
		signup := func(username, email string) (int, map[string]any) {
			return h.do(t, "POST", "/instamern/users/signup", "", map[string]any{"firstname": "Test", "lastname": "User",
				"username": username, "email": email, "password": testPassword, "passwordConfirm": testPassword})
		}
		change := func(email string) (int, map[string]any) {
			return h.do(t, "PATCH", changeEmailPath, alice.Token, map[string]any{"currentPassword": testPassword, "email": email})
		}
		const refused = "This email domain cannot receive mail."
		tests := []struct {
			name   string
			call   func() (int, map[string]any)
			status int
		}{
			{"SignupDeadDomain", func() (int, map[string]any) { return signup("dave", "dave@NoMail.example") }, 400},
			{"SignupDNSFailureAccepted", func() (int, map[string]any) { return signup("fran", "fran@flaky.example") }, 201},
			{"SignupGoodDomain", func() (int, map[string]any) { return signup("gina", "gina@example.com") }, 201},
			{"ChangeEmailDeadDomain", func() (int, map[string]any) { return change("alice@nomail.example") }, 400},
			{"ChangeEmailDNSFailureAccepted", func() (int, map[string]any) { return change("alice@flaky.example") }, 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.flushMail(t)
				st, body := tt.call()
				if tt.status != 400 {
					wantSuccess(t, st, body, tt.status)
					return
				}
				wantFail(t, st, body, 400, refused)
				if sent := h.flushMail(t); len(sent) != 0 {
					t.Errorf("a refused address got %d mails", len(sent))
				}
			})
		}
		st, body := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": "dave", "password": testPassword})
		wantFail(t, st, body, 401, "") // dave was not created
	})
}
