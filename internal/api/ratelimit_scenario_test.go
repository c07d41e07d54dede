package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

// limited serves h's service once more, with the limits set by adjust,
// limiter l, and loopback as a trusted proxy: X-Forwarded-For then picks
// the client IP, so one test can speak from many addresses.
func (h *harness) limited(t *testing.T, l ratelimit.Limiter, adjust func(*api.Config)) *harness {
	t.Helper()
	h2 := *h
	h2.start(t, limitedEnv, l, setup{api: []func(*api.Config){adjust}})
	return &h2
}

// limitedEnv turns the limits of testEnv off and trusts loopback.
var limitedEnv = map[string]string{"RATE_LIMIT_AUTH": "off", "RATE_LIMIT_WRITE": "off", "TRUSTED_PROXIES": "127.0.0.0/8,::1/128"}

// from sends a request as client ip; it returns the status, envelope and headers.
func (h *harness) from(t *testing.T, ip, method, path, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	res, raw := h.request(t, method, path, token, body, map[string]string{"X-Forwarded-For": ip})
	return res.StatusCode, envelopeOf(t, res, raw), res.Header
}

func want429(t *testing.T, st int, body map[string]any, hd http.Header, msgPrefix string) int {
	t.Helper()
	wantFail(t, st, body, http.StatusTooManyRequests, "")
	if m, _ := body["message"].(string); len(m) < len(msgPrefix) || m[:len(msgPrefix)] != msgPrefix {
		t.Fatalf("429 message %q, want it to start with %q", m, msgPrefix)
	}
	secs, err := strconv.Atoi(hd.Get("Retry-After"))
	if err != nil || secs < 1 || hd.Get("RateLimit-Remaining") != "0" || hd.Get("RateLimit-Limit") == "" || hd.Get("RateLimit-Reset") == "" {
		t.Fatalf("429 headers %v", hd)
	}
	return secs
}

// Route classes: reads have their own (generous) rule; health checks and
// media have none; every IP counts on its own.
func TestRateLimitClasses(t *testing.T) {
	base := newHarness(t, backends()[0])
	alice := base.signup(t, "alice")
	id := base.post(t, alice, "pic")
	_, body := base.do(t, "GET", "/instamern/posts/"+id, "", nil)
	photo := obj(t, body, "data", "post")["photo"].(string)[len(base.srv.URL):]
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			h := base.limited(t, open(t, ratelimittest.NewClock()), func(c *api.Config) {
				c.ReadLimit = ratelimit.Rule{Limit: 3, Window: time.Hour}
				c.WriteLimit = ratelimit.Rule{Limit: 2, Window: time.Hour}
			})
			reads := []string{"/instamern/posts", "/instamern/users", "/instamern/posts/" + id}
			for i, p := range reads {
				st, body, hd := h.from(t, "198.51.100.1", "GET", p, "", nil)
				wantSuccess(t, st, body, 200)
				if hd.Get("RateLimit-Remaining") != strconv.Itoa(2-i) || hd.Get("RateLimit-Limit") != "3" {
					t.Fatalf("read %d headers %v", i, hd)
				}
			}
			st, body, hd := h.from(t, "198.51.100.1", "GET", "/instamern/stories", "", nil)
			want429(t, st, body, hd, "Too many requests.")
			for range 5 { // not in any class
				for _, p := range []string{"/healthz", "/readyz", photo} {
					res, _ := h.request(t, "GET", p, "", nil, map[string]string{"X-Forwarded-For": "198.51.100.1"})
					if res.StatusCode != 200 || res.Header.Get("RateLimit-Limit") != "" {
						t.Fatalf("GET %s: %d %v; want 200 without a limit", p, res.StatusCode, res.Header)
					}
				}
			}
			st, body, _ = h.from(t, "198.51.100.2", "GET", "/instamern/posts", "", nil)
			wantSuccess(t, st, body, 200) // another IP
			// Writes count apart from reads.
			st, body, hd = h.from(t, "198.51.100.1", "POST", "/instamern/posts/like/"+id, alice.Token, nil)
			wantSuccess(t, st, body, 200)
			if hd.Get("RateLimit-Limit") != "2" {
				t.Fatalf("write headers %v", hd)
			}
		})
	}
}

// An authenticated user is limited as a user too: changing IP does not
// buy more requests, and other users keep theirs.
func TestRateLimitPerUser(t *testing.T) {
	base := newHarness(t, backends()[0])
	alice, bob := base.signup(t, "alice"), base.signup(t, "bob")
	id := base.post(t, bob, "pic")
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			h := base.limited(t, open(t, ratelimittest.NewClock()), func(c *api.Config) { c.WriteLimit = ratelimit.Rule{Limit: 3, Window: time.Hour} })
			for i := range 3 {
				st, body, _ := h.from(t, "198.51.100."+strconv.Itoa(10+i), "POST", "/instamern/posts/like/"+id, alice.Token, nil)
				wantSuccess(t, st, body, 200)
			}
			st, body, hd := h.from(t, "198.51.100.20", "POST", "/instamern/posts/like/"+id, alice.Token, nil)
			want429(t, st, body, hd, "Too many requests.")
			st, body, _ = h.from(t, "198.51.100.20", "POST", "/instamern/posts/like/"+id, bob.Token, nil)
			wantSuccess(t, st, body, 200)
			// A forged token is no user: it is limited by IP only.
			st, body, _ = h.from(t, "198.51.100.21", "POST", "/instamern/posts/like/"+id, alice.Token+"x", nil)
			wantFail(t, st, body, 401, "")
		})
	}
}

// Login brute force is slowed per account: failures from many IPs add up
// on the account, which then answers 429 until its window ends (never
// for good). Correct passwords are not failures; other accounts, known or
// not, are unaffected.
func TestLoginThrottledPerAccount(t *testing.T) {
	base := newHarness(t, backends()[0])
	base.signup(t, "alice")
	base.signup(t, "bob")
	const window = 2 * time.Second
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			clock := ratelimittest.NewClock()
			h := base.limited(t, open(t, clock), func(c *api.Config) { c.LoginFails = ratelimit.Rule{Limit: 3, Window: window} })
			login := func(ip, username, password string) (int, map[string]any, http.Header) {
				return h.from(t, ip, "POST", "/instamern/users/login", "", map[string]any{"username": username, "password": password})
			}
			for range 5 {
				st, body, _ := login("198.51.100.1", "bob", testPassword)
				wantSuccess(t, st, body, 200)
			}
			for i := range 3 {
				st, body, _ := login("203.0.113."+strconv.Itoa(i+1), []string{"alice", "ALICE ", "Alice"}[i], "wrong-guess-"+strconv.Itoa(i))
				wantFail(t, st, body, 401, "Incorrect username or password.")
			}
			st, body, hd := login("203.0.113.50", "alice", testPassword) // even the right password waits
			secs := want429(t, st, body, hd, "Too many failed logins for this account.")
			if secs > int(window/time.Second)+1 {
				t.Fatalf("Retry-After %d, want at most the window", secs)
			}
			st, body, _ = login("203.0.113.50", "bob", testPassword)
			wantSuccess(t, st, body, 200)
			for i := range 3 { // unknown accounts are throttled alike: no enumeration
				login("203.0.113."+strconv.Itoa(i+1), "nobody", "wrong-guess")
			}
			st, body, hd = login("203.0.113.60", "nobody", "wrong-guess")
			want429(t, st, body, hd, "Too many failed logins for this account.")

			clock.Advance(time.Duration(secs) * time.Second)
			st, body, _ = login("203.0.113.50", "alice", testPassword)
			wantSuccess(t, st, body, 200)
		})
	}
}

// TestResetMailLimitedPerAddress: password-reset requests are counted per
// email address whatever the IP, so many IPs together cannot flood one
// mailbox; addresses without an account are counted alike (no
// enumeration), other addresses are unaffected, and no mail is queued for
// a refused request.
func TestResetMailLimitedPerAddress(t *testing.T) {
	base := newHarness(t, backends()[0])
	base.signup(t, "alice")
	base.signup(t, "bob")
	const window = 2 * time.Second
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			h := base.limited(t, open(t, ratelimittest.NewClock()), func(c *api.Config) { c.ResetMails = ratelimit.Rule{Limit: 2, Window: window} })
			forgot := func(ip, email string) (int, map[string]any, http.Header) {
				return h.from(t, ip, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": email})
			}
			h.flushMail(t) // the welcome mails
			for i, email := range []string{"alice@example.com", " ALICE@example.com"} {
				st, body, _ := forgot("203.0.113."+strconv.Itoa(i+1), email)
				wantSuccess(t, st, body, 200)
			}
			st, body, hd := forgot("203.0.113.9", "alice@example.com")
			want429(t, st, body, hd, "Too many password reset emails for this address.")
			if got := len(h.flushMail(t)); got != 2 {
				t.Errorf("%d reset mails sent for alice, want 2 (none for the refused request)", got)
			}
			st, body, _ = forgot("203.0.113.9", "bob@example.com")
			wantSuccess(t, st, body, 200)
			for i := range 2 {
				forgot("203.0.113."+strconv.Itoa(i+1), "nobody@example.com")
			}
			st, body, hd = forgot("203.0.113.9", "nobody@example.com")
			want429(t, st, body, hd, "Too many password reset emails for this address.")
		})
	}
}

// TestRateLimitIPv6Prefix: IPv6 clients are limited per /64 (what one
// subscriber gets), IPv4 clients per address.
func TestRateLimitIPv6Prefix(t *testing.T) {
	base := newHarness(t, backends()[0])
	h := base.limited(t, ratelimit.NewMemory(nil), func(c *api.Config) { c.ReadLimit = ratelimit.Rule{Limit: 2, Window: time.Hour} })
	get := func(ip string) (int, map[string]any, http.Header) {
		return h.from(t, ip, "GET", "/instamern/users", "", nil)
	}
	for _, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"} {
		st, body, _ := get(ip)
		wantSuccess(t, st, body, 200)
	}
	st, body, hd := get("2001:db8:1:2:abcd::5") // same /64, another address
	want429(t, st, body, hd, "Too many requests.")
	for _, ip := range []string{"2001:db8:1:3::1", "198.51.100.7", "198.51.100.8"} { // other /64, IPv4 per address
		st, body, _ := get(ip)
		wantSuccess(t, st, body, 200)
	}
}
