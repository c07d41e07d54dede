package api_test

import (
	"testing"
)

// sessionsOf lists the sessions the token's user sees, by id.
func (h *harness) sessionsOf(t *testing.T, token string) map[string]map[string]any {
	t.Helper()
	st, body := h.do(t, "GET", "/instamern/users/sessions", token, nil)
	wantSuccess(t, st, body, 200)
	out := map[string]map[string]any{}
	for _, s := range list(t, body, "data", "sessions") {
		m := s.(map[string]any)
		out[m["_id"].(string)] = m
	}
	return out
}

// Sessions you can see and end; login rotates the session id; a password
// change ends every other session.
func TestMySessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		res, raw := h.request(t, "POST", "/instamern/users/login", "", map[string]any{"username": "alice", "password": testPassword},
			map[string]string{"User-Agent": "Phone/1.0"})
		phone := envelopeOf(t, res, raw)["token"].(string)
		laptop := h.login(t, "alice", testPassword)

		t.Run("LoginRotates", func(t *testing.T) {
			ids := map[string]bool{sidOf(t, alice.Token): true, sidOf(t, phone): true, sidOf(t, laptop): true}
			if len(ids) != 3 {
				t.Errorf("logins reuse session ids: %v", ids)
			}
		})
		t.Run("List", func(t *testing.T) {
			got := h.sessionsOf(t, laptop)
			if len(got) != 3 {
				t.Fatalf("%d sessions, want 3: %v", len(got), got)
			}
			for id, s := range got {
				mustHave(t, s, "userAgent", "ip", "createdAt", "lastUsed", "current")
				if want := id == sidOf(t, laptop); s["current"] != want {
					t.Errorf("session %s current = %v, want %v", id, s["current"], want)
				}
			}
			if s := got[sidOf(t, phone)]; s["userAgent"] != "Phone/1.0" || s["ip"] != "127.0.0.1" {
				t.Errorf("phone session: %v", s)
			}
			if bobs := h.sessionsOf(t, bob.Token); len(bobs) != 1 {
				t.Errorf("bob sees %d sessions", len(bobs))
			}
		})
		t.Run("EndOthersSessionIsNotFound", func(t *testing.T) {
			for _, id := range []string{sidOf(t, phone), "nosuch", "..%2f..%2fx"} {
				st, body := h.do(t, "DELETE", "/instamern/users/sessions/"+id, bob.Token, nil)
				wantFail(t, st, body, 404, "")
			}
			st, body := h.do(t, "GET", "/instamern/users/authorization/current-user", phone, nil)
			wantSuccess(t, st, body, 200)
		})
		t.Run("EndOne", func(t *testing.T) {
			st, body := h.do(t, "DELETE", "/instamern/users/sessions/"+sidOf(t, phone), laptop, nil)
			wantSuccess(t, st, body, 200)
			st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", phone, nil)
			wantFail(t, st, body, 401, "Your session has ended. Please login again.")
			st, body = h.do(t, "DELETE", "/instamern/users/sessions/"+sidOf(t, phone), laptop, nil)
			wantFail(t, st, body, 404, "Session not found.")
		})
		t.Run("EndAllOthers", func(t *testing.T) {
			extra := h.login(t, "alice", testPassword)
			st, body := h.do(t, "DELETE", "/instamern/users/sessions", laptop, nil)
			wantSuccess(t, st, body, 200)
			for _, tok := range []string{alice.Token, extra} {
				st, body := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
				wantFail(t, st, body, 401, "")
			}
			if got := h.sessionsOf(t, laptop); len(got) != 1 || got[sidOf(t, laptop)] == nil {
				t.Errorf("after ending the others: %v", got)
			}
			if got := h.sessionsOf(t, bob.Token); len(got) != 1 {
				t.Errorf("bob's session ended too: %v", got)
			}
		})
		t.Run("PasswordChangeEndsOthers", func(t *testing.T) {
			other := h.login(t, "alice", testPassword)
			st, body := h.do(t, "PATCH", "/instamern/users/change-password", laptop, map[string]any{
				"currentPassword": testPassword, "password": "brandnew456", "passwordConfirm": "brandnew456"})
			wantSuccess(t, st, body, 200)
			got := h.sessionsOf(t, laptop)
			if len(got) != 1 || got[sidOf(t, laptop)] == nil || got[sidOf(t, other)] != nil {
				t.Errorf("after a password change: %v", got)
			}
		})
		t.Run("Anonymous", func(t *testing.T) {
			for _, m := range []string{"GET", "DELETE"} {
				st, body := h.do(t, m, "/instamern/users/sessions", "", nil)
				wantFail(t, st, body, 401, "You're not logged in. Please login.")
			}
		})
	})
}
