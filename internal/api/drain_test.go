package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/api"
)

// TestDrain: once drained, /readyz answers 503 with the draining detail
// while every other route still serves, and each answer closes its
// connection so that the next request goes elsewhere.
func TestDrain(t *testing.T) {
	h := newHarness(t, backends()[0])
	alice := h.signup(t, "alice")
	res, _ := h.request(t, "GET", "/readyz", "", nil, nil)
	if res.StatusCode != http.StatusOK || res.Close {
		t.Fatalf("/readyz before draining: %d, close %v", res.StatusCode, res.Close)
	}
	h.srv.Config.Handler.(*api.Server).Drain()

	st, body := h.do(t, "GET", "/readyz", "", nil)
	if msg, _ := body["message"].(string); st != http.StatusServiceUnavailable || body["status"] != "fail" || !strings.Contains(msg, "draining") {
		t.Errorf("/readyz while draining: %d %v, want 503 and a fail envelope that says draining", st, body)
	}
	res, _ = h.request(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil, nil)
	if res.StatusCode != http.StatusOK || !res.Close {
		t.Errorf("a request while draining: %d, close %v; want 200 and Connection: close", res.StatusCode, res.Close)
	}
}
