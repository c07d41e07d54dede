package api_test

import (
	"regexp"
	"testing"
)

// A pending email change ends with the password: the notice to the old
// address says "reset your password" if the change was not the user's, so
// a reset or a change of the password must stop someone who had the
// password from confirming the change afterwards (account takeover).
func TestEmailChangeEndsWithPassword(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")

		t.Run("Reset", func(t *testing.T) {
			token := h.requestEmailChange(t, alice, "thief@example.com")
			st, body := h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": alice.Email})
			wantSuccess(t, st, body, 200)
			sent := h.flushMail(t)
			if len(sent) != 1 {
				t.Fatalf("mails %+v; want the reset link", sent)
			}
			m := regexp.MustCompile(`/reset-password/([0-9a-f]{64})`).FindStringSubmatch(sent[0].Text)
			if m == nil {
				t.Fatalf("no reset link in %q", sent[0].Text)
			}
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+m[1], "",
				map[string]any{"password": "pebble-harbor-77", "passwordConfirm": "pebble-harbor-77"})
			wantSuccess(t, st, body, 200)
			alice.Token = body["token"].(string)

			st, body = h.confirmEmail(t, token)
			wantFail(t, st, body, 404, "The email confirmation link has expired or has broken. Please change your email address again.")
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Errorf("email %q after the reset and the old link; want %q", e, alice.Email)
			}
		})

		t.Run("Change", func(t *testing.T) {
			// requestEmailChange uses testPassword: set it back first.
			st, body := h.do(t, "PATCH", "/instamern/users/change-password", alice.Token, map[string]any{
				"currentPassword": "pebble-harbor-77", "password": testPassword, "passwordConfirm": testPassword})
			wantSuccess(t, st, body, 200)
			token := h.requestEmailChange(t, alice, "thief2@example.com")
			st, body = h.do(t, "PATCH", "/instamern/users/change-password", alice.Token, map[string]any{
				"currentPassword": testPassword, "password": "pebble-harbor-77", "passwordConfirm": "pebble-harbor-77"})
			wantSuccess(t, st, body, 200)

			st, body = h.confirmEmail(t, token)
			wantFail(t, st, body, 404, "The email confirmation link has expired or has broken. Please change your email address again.")
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Errorf("email %q after the password change and the old link; want %q", e, alice.Email)
			}
		})
	})
}
