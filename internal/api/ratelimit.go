package api

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
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

// rateLimit applies rule per client IP to h, under the class name.
func (s *Server) rateLimit(class string, rule RateRule, h http.Handler) http.Handler {
	if rule.Limit <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowed, remaining, reset, err := s.limiter.Allow(r.Context(), class+":"+s.clientIP(r), rule)
		if err != nil {
			// Fail open: a limiter outage must not take the API down.
			s.log.WarnContext(r.Context(), "rate limiter", "err", err)
			h.ServeHTTP(w, r)
			return
		}
		secs := max(int(time.Until(reset).Seconds()+0.999), 1)
		hd := w.Header()
		hd.Set("RateLimit-Limit", strconv.Itoa(rule.Limit))
		hd.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		hd.Set("RateLimit-Reset", strconv.Itoa(secs))
		if !allowed {
			hd.Set("Retry-After", strconv.Itoa(secs))
			s.writeError(w, r, gram.Errorf(gram.ERATELIMIT, "Too many requests. Please try again in %d seconds.", secs))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// clientIP is the peer address, or with TrustProxy the last address in
// X-Forwarded-For (the one our proxy appended; earlier ones are the
// client's word and can be forged).
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
