package api

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// RateRule allows Limit requests per Window; a zero Limit disables it.
type RateRule struct {
	Limit  int
	Window time.Duration
}

// Limiter counts requests per key in fixed windows. The in-process
// implementation is MemLimiter; a Redis one shares counts across replicas.
type Limiter interface {
	// Allow counts one request for key under rule and returns how many
	// remain in the window and when the window resets.
	Allow(ctx context.Context, key string, rule RateRule) (allowed bool, remaining int, reset time.Time, err error)
	// Peek returns key's count in the current window, without counting,
	// and when the window resets (zero count: no window is open).
	Peek(ctx context.Context, key string, rule RateRule) (count int, reset time.Time, err error)
}

// MemLimiter is an in-process fixed-window Limiter.
type MemLimiter struct {
	mu      sync.Mutex
	windows map[string]*window
	sweep   time.Time
}

type window struct {
	count int
	reset time.Time
}

// NewMemLimiter returns an empty in-process limiter.
func NewMemLimiter() *MemLimiter { return &MemLimiter{windows: map[string]*window{}} }

// Allow implements Limiter.
func (m *MemLimiter) Allow(_ context.Context, key string, rule RateRule) (bool, int, time.Time, error) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.After(m.sweep) { // drop finished windows now and then
		for k, w := range m.windows {
			if now.After(w.reset) {
				delete(m.windows, k)
			}
		}
		m.sweep = now.Add(time.Minute)
	}
	w := m.windows[key]
	if w == nil || now.After(w.reset) {
		w = &window{reset: now.Add(rule.Window)}
		m.windows[key] = w
	}
	w.count++
	return w.count <= rule.Limit, max(rule.Limit-w.count, 0), w.reset, nil
}

// Peek implements Limiter.
func (m *MemLimiter) Peek(_ context.Context, key string, _ RateRule) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w := m.windows[key]
	if w == nil || time.Now().After(w.reset) {
		return 0, time.Time{}, nil
	}
	return w.count, w.reset, nil
}

// Route classes: each has its own rule, counted per client IP and, for
// requests with a valid token, per user as well.
const (
	classAuth  = "auth"  // login, signup, password and account changes: strict
	classWrite = "write" // other state changes: moderate
	classRead  = "read"  // reads: generous
)

// limitBy returns the middleware applying class's rule.
func (s *Server) limitBy(class string) func(http.Handler) http.Handler {
	rule := map[string]RateRule{classAuth: s.cfg.AuthLimit, classWrite: s.cfg.WriteLimit, classRead: s.cfg.ReadLimit}[class]
	return func(h http.Handler) http.Handler { return s.rateLimit(class, rule, h) }
}

// rateLimit applies rule to h per client IP and, when the request carries
// a valid token, per user: both must allow the request.
func (s *Server) rateLimit(class string, rule RateRule, h http.Handler) http.Handler {
	if rule.Limit <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := []string{class + ":ip:" + ipLimitKey(s.clientIP(r))}
		if uid := s.tokenUserID(r); uid != "" {
			keys = append(keys, class+":user:"+uid)
		}
		d, err := s.decide(r.Context(), keys, rule)
		if err != nil {
			// Fail open: a limiter outage must not take the API down.
			s.log.WarnContext(r.Context(), "rate limiter", "err", err)
			h.ServeHTTP(w, r)
			return
		}
		if s.answerLimit(w, r, d, "Too many requests. Please try again in %d seconds.") {
			h.ServeHTTP(w, r)
		}
	})
}

// ipLimitKey is the part of a limit key that names a client address: the
// address itself for IPv4, its /64 for IPv6, because one subscriber gets a
// whole /64 and could otherwise draw a fresh key for every request.
func ipLimitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// decision is the outcome of counting a request against a rule; with
// several keys, the most constraining one.
type decision struct {
	limit, remaining int
	allowed          bool
	reset            time.Time
}

// decide counts the request under every key.
func (s *Server) decide(ctx context.Context, keys []string, rule RateRule) (decision, error) {
	d := decision{limit: rule.Limit, remaining: rule.Limit, allowed: true}
	for _, k := range keys {
		ok, remaining, reset, err := s.limiter.Allow(ctx, k, rule)
		if err != nil {
			return d, err
		}
		switch {
		case !ok && (d.allowed || reset.After(d.reset)): // refused: wait for the last window
			d.allowed, d.remaining, d.reset = false, 0, reset
		case d.allowed && remaining <= d.remaining:
			d.remaining, d.reset = remaining, reset
		}
	}
	return d, nil
}

// answerLimit sets the RateLimit-* headers and, when d refuses, answers
// 429 with Retry-After and msg (with %d for the seconds). It reports
// whether the request may go on.
func (s *Server) answerLimit(w http.ResponseWriter, r *http.Request, d decision, msg string) bool {
	secs := max(int(time.Until(d.reset).Seconds()+0.999), 1)
	hd := w.Header()
	hd.Set("RateLimit-Limit", strconv.Itoa(d.limit))
	hd.Set("RateLimit-Remaining", strconv.Itoa(d.remaining))
	hd.Set("RateLimit-Reset", strconv.Itoa(secs))
	if d.allowed {
		return true
	}
	hd.Set("Retry-After", strconv.Itoa(secs))
	s.writeError(w, r, gram.Errorf(gram.ERATELIMIT, msg, secs))
	return false
}

// tokenUserID is the user id of a request's validly signed token, or "".
// The session is not looked up: a signature is enough to key a limit.
func (s *Server) tokenUserID(r *http.Request) string {
	raw, _, present := bearer(r)
	if !present {
		return ""
	}
	uid, _, err := s.tokens.verify(raw)
	if err != nil {
		return ""
	}
	return uid
}
