package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkAuthenticate measures what every authenticated request pays
// for reading its session and account from the store (no replica caches
// them, so that a revocation holds on every replica at once): the
// service's Authenticate alone, and a whole current-user request.
func BenchmarkAuthenticate(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			h := newHarness(b, be)
			req := httptest.NewRequestWithContext(b.Context(), http.MethodPost, "/instamern/users/signup", strings.NewReader(
				`{"firstname":"Bench","lastname":"User","username":"bench","email":"bench@example.com","password":"`+testPassword+
					`","passwordConfirm":"`+testPassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.srv.Config.Handler.ServeHTTP(rec, req)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusCreated {
				b.Fatalf("signup: %d %s", rec.Code, rec.Body)
			}
			tok, _ := body["token"].(string)
			u := body["data"].(map[string]any)["user"].(map[string]any)
			id := u["_id"].(string)
			ss, err := h.store.SessionsByUser(b.Context(), id, h.clock.Now(), 1)
			if err != nil || len(ss) != 1 {
				b.Fatalf("sessions: %v %v", ss, err)
			}
			b.Run("Authenticate", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := h.svc.Authenticate(b.Context(), id, ss[0].ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("CurrentUser", func(b *testing.B) {
				for b.Loop() {
					h.serve(b, http.MethodGet, "/instamern/users/authorization/current-user", tok, http.StatusOK)
				}
			})
		})
	}
}
