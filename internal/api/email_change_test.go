package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const changeEmailPath = "/instamern/users/change-email"

var confirmLinkRE = regexp.MustCompile(regexp.QuoteMeta(gram.ConfirmEmailPath) + `([0-9a-f]{64})\b`)

// requestEmailChange asks for u's address to become email and returns the
// token of the confirmation link mailed to it, checking both mails.
func (h *harness) requestEmailChange(t *testing.T, u user, email string) string {
	t.Helper()
	h.flushMail(t)
	st, body := h.do(t, "PATCH", changeEmailPath, u.Token, map[string]any{"currentPassword": testPassword, "email": email})
	wantSuccess(t, st, body, 200)
	sent := h.flushMail(t)
	want := strings.ToLower(strings.TrimSpace(email))
	i := slices.IndexFunc(sent, func(m gram.Message) bool { return m.To == want })
	j := slices.IndexFunc(sent, func(m gram.Message) bool { return m.To != want })
	if len(sent) != 2 || i < 0 || j < 0 {
		t.Fatalf("mails %+v; want a confirmation to %s and a notice to the old address", sent, want)
	}
	if sent[i].Subject != "Confirm your new email address" || sent[j].Subject != "Your email address is being changed" {
		t.Errorf("subjects %q, %q", sent[i].Subject, sent[j].Subject)
	}
	m := confirmLinkRE.FindStringSubmatch(sent[i].Text)
	if m == nil || !strings.Contains(sent[i].HTML, m[0]) {
		t.Fatalf("no confirmation link in both parts of %q", sent[i].Text)
	}
	return m[1]
}

func (h *harness) confirmEmail(t *testing.T, token string) (int, map[string]any) {
	t.Helper()
	return h.do(t, "POST", gram.ConfirmEmailPath+token, "", nil)
}

func (h *harness) emailOf(t *testing.T, u user) string {
	t.Helper()
	st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", u.Token, nil)
	wantSuccess(t, st, me, 200)
	return obj(t, me, "data", "user")["email"].(string)
}

// U16 and B27: change email, by confirmation from the new address.
func TestChangeEmail(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		h.signup(t, "bob")

		cases := []struct {
			name   string
			body   map[string]any
			status int
			msg    string
		}{
			{"NoPassword", map[string]any{"email": "new@example.com"}, 400, "Please confirm your current password."},
			{"WrongPassword", map[string]any{"currentPassword": "wrongpass1", "email": "new@example.com"}, 401, "Your current password doesn't match."},
			{"NoEmail", map[string]any{"currentPassword": testPassword}, 400, "Please set your new email address."},
			{"Invalid", map[string]any{"currentPassword": testPassword, "email": "nope"}, 400, "Please type a valid email address."},
			{"Same", map[string]any{"currentPassword": testPassword, "email": " ALICE@example.com "}, 400, "That email address is already the same as the existing one."},
			{"TakenOtherCase", map[string]any{"currentPassword": testPassword, "email": "Bob@Example.COM"}, 409, "This user already exists."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				h.flushMail(t)
				st, body := h.do(t, "PATCH", changeEmailPath, alice.Token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
				if sent := h.flushMail(t); len(sent) != 0 {
					t.Errorf("a refused change sent %d mails", len(sent))
				}
			})
		}

		t.Run("OK", func(t *testing.T) {
			h.flushMail(t)
			st, body := h.do(t, "PATCH", changeEmailPath, alice.Token, map[string]any{"currentPassword": testPassword, "email": "  New@Example.COM "})
			wantSuccess(t, st, body, 200)
			if !strings.Contains(body["message"].(string), "confirmation link") || body["token"] == "" {
				t.Errorf("body %v", body)
			}
			if e := obj(t, body, "data", "user")["email"]; e != alice.Email {
				t.Errorf("email %v right after the request; want unchanged until confirmed", e)
			}
			// Re-ask to read the mails (a new request replaces the first).
			token := h.requestEmailChange(t, alice, "New@Example.COM")
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Fatalf("email %q before confirmation; want %q", e, alice.Email)
			}

			res, raw := h.request(t, "GET", gram.ConfirmEmailPath+token, "", nil, nil)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(raw), `<form method="post">`) {
				t.Fatalf("GET confirmation page: %d %q %s", res.StatusCode, res.Header.Get("Content-Type"), raw)
			}
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Fatalf("GET changed the email to %q; only the POST may", e)
			}

			st, body = h.confirmEmail(t, token)
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your email address has been changed to new@example.com." {
				t.Errorf("message %q", body["message"])
			}
			if e := h.emailOf(t, alice); e != "new@example.com" { // the old token still works
				t.Errorf("email %q after confirmation; want new@example.com", e)
			}
			sent := h.flushMail(t)
			if len(sent) != 1 || sent[0].To != alice.Email || sent[0].Subject != "Your email address was changed" {
				t.Errorf("mails after confirmation %+v; want the notice to the old address", sent)
			}
			st, body = h.confirmEmail(t, token)
			wantFail(t, st, body, 404, "The email confirmation link has expired or has broken. Please change your email address again.")

			// Case-insensitively unique from now on.
			st, fail := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{"firstname": "Eve", "lastname": "Evans",
				"username": "eve", "email": "NEW@example.com", "password": testPassword, "passwordConfirm": testPassword})
			wantFail(t, st, fail, 409, "This user already exists.")
			alice.Email = "new@example.com"
		})

		t.Run("Expired", func(t *testing.T) {
			token := h.requestEmailChange(t, alice, "late@example.com")
			h.clock.Advance(24*time.Hour + time.Second)
			st, body := h.confirmEmail(t, token)
			wantFail(t, st, body, 404, "The email confirmation link has expired or has broken. Please change your email address again.")
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Errorf("email %q after an expired link", e)
			}
		})

		t.Run("ReplacedByNewRequest", func(t *testing.T) {
			first := h.requestEmailChange(t, alice, "first@example.com")
			second := h.requestEmailChange(t, alice, "second@example.com")
			st, body := h.confirmEmail(t, first)
			wantFail(t, st, body, 404, "")
			st, body = h.confirmEmail(t, second)
			wantSuccess(t, st, body, 200)
			alice.Email = "second@example.com"
		})

		t.Run("TakenMeanwhile", func(t *testing.T) {
			token := h.requestEmailChange(t, alice, "carol@example.com")
			carol := h.signup(t, "carol") // carol@example.com
			st, body := h.confirmEmail(t, token)
			wantFail(t, st, body, 409, "Another account uses that email address now. Please change your email address again.")
			if e := h.emailOf(t, alice); e != alice.Email {
				t.Errorf("alice's email %q after the conflict; want %q", e, alice.Email)
			}
			if e := h.emailOf(t, carol); e != "carol@example.com" {
				t.Errorf("carol's email %q", e)
			}
		})

		t.Run("BrokenToken", func(t *testing.T) {
			for _, tok := range []string{"xyz", strings.Repeat("a", 64), strings.Repeat("f", 300)} {
				st, body := h.confirmEmail(t, tok)
				wantFail(t, st, body, 404, "")
			}
		})

		t.Run("BrowserForm", func(t *testing.T) {
			token := h.requestEmailChange(t, alice, "browser@example.com")
			res, raw := h.request(t, "POST", gram.ConfirmEmailPath+token, "", []byte{}, map[string]string{
				"Content-Type": "application/x-www-form-urlencoded", "Origin": "null", "Sec-Fetch-Site": "same-origin"})
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
				!strings.Contains(string(raw), "browser@example.com") {
				t.Fatalf("form post: %d %q %s", res.StatusCode, res.Header.Get("Content-Type"), raw)
			}
			res, raw = h.request(t, "POST", gram.ConfirmEmailPath+token, "", []byte{}, map[string]string{
				"Content-Type": "application/x-www-form-urlencoded", "Origin": "null", "Sec-Fetch-Site": "same-origin"})
			if res.StatusCode != http.StatusNotFound || !strings.Contains(string(raw), "has expired or has broken") {
				t.Errorf("second form post: %d %s", res.StatusCode, raw)
			}
			// Another site cannot post it.
			res, _ = h.request(t, "POST", gram.ConfirmEmailPath+token, "", []byte{}, map[string]string{
				"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site post: %d; want 403", res.StatusCode)
			}
		})
	})
}
