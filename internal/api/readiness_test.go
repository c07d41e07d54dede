package api_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/textproto"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
)

// TestReadyzChecks: /readyz runs the database check and every configured
// one at once, each within its own timeout, and lists each with its
// outcome; only a required failure makes it 503, and the reasons shown
// name no host. /healthz runs none.
func TestReadyzChecks(t *testing.T) {
	pass := func(context.Context) error { return nil }
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	opaque := func(context.Context) error {
		return errors.New("bucket secret-bucket at secret-host.internal: something odd")
	}
	refused := func(ctx context.Context) error { // a port nobody listens on
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", closedPort(t))
		if err == nil {
			c.Close()
		}
		return err
	}
	smtp535 := func(context.Context) error {
		return &textproto.Error{Code: 535, Msg: "5.7.8 Authentication failed for user@example.com"}
	}
	tests := []struct {
		name       string
		checks     []api.Check
		wantStatus int
		want       map[string]string // name -> "" (ok) or the reason shown
	}{
		{"AllPass", []api.Check{{Name: "media", Required: true, Run: pass}, {Name: "mail", Run: pass}},
			200, map[string]string{"database": "", "media": "", "mail": ""}},
		{"OptionalFails", []api.Check{{Name: "media", Required: true, Run: pass}, {Name: "mail", Run: smtp535}},
			200, map[string]string{"database": "", "media": "", "mail": "the server answered 535"}},
		{"RequiredFails", []api.Check{{Name: "media", Required: true, Run: opaque}, {Name: "redis", Run: refused}},
			503, map[string]string{"database": "", "media": "check failed (see the server log)", "redis": "connection refused"}},
		{"RequiredHangs", []api.Check{{Name: "media", Required: true, Timeout: 200 * time.Millisecond, Run: hang},
			{Name: "redis", Timeout: 200 * time.Millisecond, Run: hang}},
			503, map[string]string{"database": "", "media": "no answer within 200ms", "redis": "no answer within 200ms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, backends()[0], withAPI(func(c *api.Config) { c.Checks = tc.checks }))
			start := time.Now()
			st, body := h.do(t, "GET", "/readyz", "", nil)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("/readyz took %v; the checks run at once, each within its timeout", took)
			}
			if st != tc.wantStatus {
				t.Fatalf("/readyz: %d %v, want %d", st, body, tc.wantStatus)
			}
			if want := map[int]string{200: "success", 503: "fail"}[st]; body["status"] != want {
				t.Errorf("/readyz status %q, want %q", body["status"], want)
			}
			checks := list(t, body, "data", "checks")
			if len(checks) != len(tc.want) {
				t.Fatalf("checks %v, want %d entries", checks, len(tc.want))
			}
			for i, c := range checks {
				e, _ := c.(map[string]any)
				name, _ := e["name"].(string)
				reason, known := tc.want[name]
				if i == 0 && name != "database" {
					t.Errorf("first check %q, want database", name)
				}
				if !known {
					t.Errorf("unexpected check %v", e)
					continue
				}
				wantOK := reason == ""
				if e["ok"] != wantOK || (reason != "" && e["error"] != reason) || (wantOK && e["error"] != nil) {
					t.Errorf("check %v, want ok=%v error=%q", e, wantOK, reason)
				}
				if d, ok := e["durationMs"].(float64); !ok || d < 0 {
					t.Errorf("check %v: durationMs missing", e)
				}
			}
			if st, body := h.do(t, "GET", "/healthz", "", nil); st != http.StatusOK {
				t.Errorf("/healthz with checks failing: %d %v, want 200: it checks no dependency", st, body)
			}
		})
	}
}

// closedPort is a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
