package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

const commonMsg = "This password is one of the most commonly used passwords. Please choose a less guessable one."

// The NIST SP 800-63B password policy on every endpoint that sets a
// password (signup, change-password; reset is in TestPasswordReset), and
// not on login: existing accounts with weak passwords can still log in.
func TestPasswordPolicy(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		t.Run("Signup", func(t *testing.T) {
			tests := []struct {
				name, username, email, pw string
				status                    int
				msg                       string
			}{
				{"Common", "carol", "carol@example.com", "password123", 400, commonMsg},
				{"CommonOtherCase", "carol", "carol@example.com", "Qwerty123", 400, commonMsg},
				{"ContainsUsername", "carol", "c.k@example.com", "my-CAROL-pass", 400, "Password cannot contain your username."},
				{"EqualsUsername", "carolinezz", "c.k@example.com", "carolinezz", 400, "Password cannot contain your username."},
				{"ContainsEmailName", "carol", "sunflower@example.com", "sunflower-77", 400, "Password cannot contain the name of your email address."},
				{"TooLong", "carol", "carol@example.com", strings.Repeat("ab9-", 32) + "x", 400, "Password cannot be longer than 128 characters."},
				{"LongPassphrase", "carol", "carol@example.com", strings.Repeat("quiet orbit lantern ", 6), 201, ""},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					st, body := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
						"firstname": "Carol", "lastname": "King", "username": tc.username, "email": tc.email,
						"password": tc.pw, "passwordConfirm": tc.pw})
					if tc.status != 201 {
						wantFail(t, st, body, tc.status, tc.msg)
						return
					}
					wantSuccess(t, st, body, 201)
				})
			}
		})

		alice := h.signup(t, "alice")
		t.Run("ChangePassword", func(t *testing.T) {
			for _, tc := range []struct{ name, pw, msg string }{
				{"Common", "iloveyou1", commonMsg},
				{"ContainsUsername", "xAlicex-42", "Password cannot contain your username."},
			} {
				t.Run(tc.name, func(t *testing.T) {
					st, body := h.do(t, "PATCH", "/instamern/users/change-password", alice.Token, map[string]any{
						"currentPassword": testPassword, "password": tc.pw, "passwordConfirm": tc.pw})
					wantFail(t, st, body, 400, tc.msg)
				})
			}
			h.login(t, "alice", testPassword) // unchanged
		})

		t.Run("LoginWithLegacyWeakPassword", func(t *testing.T) {
			ctx := context.Background()
			hash, err := h.hasher.Hash(ctx, "password123")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.store.UpdateUser(ctx, alice.ID, func(u *gram.User) error { u.PasswordHash = hash; return nil }); err != nil {
				t.Fatal(err)
			}
			h.login(t, "alice", "password123")
		})
	})
}
