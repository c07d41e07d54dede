package api_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
)

// recorder is an api.Observer that keeps what it hears.
type recorder struct {
	mu       sync.Mutex
	inFlight int
	ended    []string // "route method status"
	limited  []string
}

func (r *recorder) Begin() func(route, method string, status int) {
	r.mu.Lock()
	r.inFlight++
	r.mu.Unlock()
	return func(route, method string, status int) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.inFlight--
		r.ended = append(r.ended, fmt.Sprintf("%s|%s|%d", route, method, status))
	}
}

func (r *recorder) Limited(class string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limited = append(r.limited, class)
}

// TestObserverHearsRoutesAndLimits: each request ends with the pattern
// of its route (none for an unknown URL), and each 429 names its limit.
func TestObserverHearsRoutesAndLimits(t *testing.T) {
	base := newHarness(t, backends()[0])
	base.signup(t, "bob")
	rec := &recorder{}
	h := base.limited(t, ratelimit.NewMemory(nil), func(c *api.Config) {
		c.Observer = rec
		c.LoginLimit = ratelimit.Rule{Limit: 2, Window: time.Hour}
		c.LoginFails = ratelimit.Rule{Limit: 1, Window: time.Hour}
		c.LoginIPFails = ratelimit.Rule{Limit: 2, Window: time.Hour}
		c.ReadLimit = ratelimit.Rule{Limit: 1, Window: time.Hour}
	})
	login := func(ip, username, password string) int {
		st, _, _ := h.from(t, ip, "POST", "/instamern/users/login", "", map[string]any{"username": username, "password": password})
		return st
	}
	statuses := []int{
		login("203.0.113.1", "alice", "wrong"), login("203.0.113.1", "alice", "wrong"), // then alice's failures
		login("203.0.113.2", "x1", "wrong"), login("203.0.113.2", "x2", "wrong"), login("203.0.113.2", "x3", "wrong"), // then the IP's
		login("203.0.113.3", "bob", testPassword), login("203.0.113.3", "bob", testPassword), login("203.0.113.3", "bob", testPassword), // then IP and account
	}
	st1, _, _ := h.from(t, "203.0.113.4", "GET", "/instamern/posts", "", nil)
	st2, _, _ := h.from(t, "203.0.113.4", "GET", "/instamern/posts", "", nil)
	st3, _, _ := h.from(t, "203.0.113.4", "GET", "/no/such/thing", "", nil)
	statuses = append(statuses, st1, st2, st3)
	if diff := cmp.Diff([]int{401, 429, 401, 401, 429, 200, 200, 429, 200, 429, 404}, statuses); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	if diff := cmp.Diff([]string{"login_account", "login_ip", "login", "read"}, rec.limited); diff != "" {
		t.Errorf("limits heard (-want +got):\n%s", diff)
	}
	const loginRoute = "POST /instamern/users/login|POST|"
	want := []string{loginRoute + "401", loginRoute + "429", loginRoute + "401", loginRoute + "401", loginRoute + "429",
		loginRoute + "200", loginRoute + "200", loginRoute + "429",
		"GET /instamern/posts|GET|200", "GET /instamern/posts|GET|429", "|GET|404"}
	if diff := cmp.Diff(want, rec.ended); diff != "" {
		t.Errorf("requests heard (-want +got):\n%s", diff)
	}
	if rec.inFlight != 0 {
		t.Errorf("in flight after the requests = %d, want 0", rec.inFlight)
	}
}
