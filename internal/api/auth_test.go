package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// §2.2, §2.4, B10, B12: sessions behind tokens, cookie fallback with a
// CSRF guard, and server-side session expiry.
func TestSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		const me = "/instamern/users/authorization/current-user"
		withCookie := func(t *testing.T, method, path string, hdr map[string]string) int {
			t.Helper()
			req, err := http.NewRequestWithContext(t.Context(), method, h.srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: "jsonwebtoken", Value: alice.Token})
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			res, raw := h.send(t, req)
			envelopeOf(t, res, raw)
			return res.StatusCode
		}

		t.Run("CookieRead", func(t *testing.T) {
			if st := withCookie(t, "GET", me, nil); st != 200 {
				t.Errorf("GET with cookie: %d", st)
			}
		})
		t.Run("CookieWriteNeedsAllowedOrigin", func(t *testing.T) {
			if st := withCookie(t, "POST", "/instamern/users/follow/bob", nil); st != 401 {
				t.Errorf("cookie-only POST without Origin: %d, want 401", st)
			}
			if st := withCookie(t, "POST", "/instamern/users/follow/bob", map[string]string{"Origin": testOrigin}); st != 200 {
				t.Errorf("cookie POST from the client origin: %d, want 200", st)
			}
		})
		t.Run("SessionOfAnotherUser", func(t *testing.T) {
			forged := signToken(t, testSecret, bob.ID, sidOf(t, alice.Token), time.Now().Add(time.Hour))
			st, body := h.do(t, "GET", me, forged, nil)
			wantFail(t, st, body, 401, "Authorization failed. Please login.")
		})
		t.Run("ExpiredWrongSecret", func(t *testing.T) {
			tok := signToken(t, "other-secret", alice.ID, sidOf(t, alice.Token), time.Now().Add(-time.Hour))
			st, body := h.do(t, "GET", me, tok, nil)
			wantFail(t, st, body, 401, "Authorization failed. Please login.")
		})
		t.Run("SessionExpires", func(t *testing.T) { // the server clock ends the session
			h.clock.Advance(90*24*time.Hour + time.Second)
			st, body := h.do(t, "GET", me, alice.Token, nil)
			wantFail(t, st, body, 401, "Your session has expired. Please login again.")
		})
	})
}

// sidOf returns the sid claim of a token.
func sidOf(t *testing.T, tok string) string {
	t.Helper()
	return claimsOf(t, tok)["sid"].(string)
}

// B27 and notices: changing the email or password tells the old address.
func TestAccountNotices(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		h.flushMail(t)
		st, body := h.do(t, "PATCH", "/instamern/users/change-email", alice.Token, map[string]any{"currentPassword": testPassword, "email": "new@example.com"})
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "PATCH", "/instamern/users/change-password", alice.Token, map[string]any{
			"currentPassword": testPassword, "password": "another999", "passwordConfirm": "another999"})
		wantSuccess(t, st, body, 200)
		sent := h.flushMail(t)
		var to []string
		for _, m := range sent {
			to = append(to, m.To)
		}
		slices.Sort(to)
		// The email change is pending (confirmation to the new address,
		// notice to the old), so the password notice goes to the old one.
		if !slices.Equal(to, []string{"alice@example.com", "alice@example.com", "new@example.com"}) {
			t.Errorf("mails went to %v, want two to the old address and one to the new", to)
		}
	})
}
