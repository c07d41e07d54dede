package api

import (
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

// Route classes: each has its own rule, counted per client IP and, for
// requests with a valid token, per user as well. Each auth action has a
// budget of its own, so that signing up, say, spends nothing of logging
// in; logins are counted in the handler (loginLimit), per IP and account.
const (
	classSignup  = "signup"
	classReset   = "reset"   // forgot and reset password
	classAccount = "account" // changes to the signed-in account
	classWrite   = "write"   // other state changes: moderate
	classRead    = "read"    // reads: generous
)

// limitBy returns the middleware applying class's rule.
func (s *Server) limitBy(class string) func(http.Handler) http.Handler {
	rule := map[string]ratelimit.Rule{classSignup: s.cfg.SignupLimit, classReset: s.cfg.ResetLimit,
		classAccount: s.cfg.AccountLimit, classWrite: s.cfg.WriteLimit, classRead: s.cfg.ReadLimit}[class]
	return func(h http.Handler) http.Handler { return s.rateLimit(class, rule, h) }
}

// rateLimit applies rule to h per client IP and, when the request carries
// a valid token, per user: both must allow the request.
func (s *Server) rateLimit(class string, rule ratelimit.Rule, h http.Handler) http.Handler {
	if rule.Limit <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := []string{class + ":ip:" + ipLimitKey(s.clientIP(r))}
		if raw, _, present := bearer(r); present {
			// A signature is enough to key a limit: the session is not
			// looked up. The handler's authentication reuses the check.
			v := s.verifyToken(r, raw)
			r = keepVerified(r, v)
			if v.err == nil {
				keys = append(keys, class+":user:"+v.userID)
			}
		}
		d, err := ratelimit.Decide(r.Context(), s.limiter, rule, keys...)
		if err != nil {
			// Fail open: a limiter without a fallback (not Failover)
			// must not take the API down when its store does.
			s.warnLimiter(r, err)
			h.ServeHTTP(w, r)
			return
		}
		if err := s.limitError(w, class, d, msgTooMany); err != nil {
			s.writeError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// msgTooMany is the 429 of a route's budget; %d is the seconds to wait.
const msgTooMany = "Too many requests. Please try again in %d seconds."

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

// limitError sets the RateLimit-* headers of d (RateLimit-Reset: until
// the whole burst is back) and, when d refuses, Retry-After (until one
// request is allowed); it returns the 429 to answer then (msg has a %d for
// the seconds), nil when the request may go on. class names the limit to
// the Observer.
func (s *Server) limitError(w http.ResponseWriter, class string, d ratelimit.Decision, msg string) error {
	hd := w.Header()
	hd.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
	hd.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	hd.Set("RateLimit-Reset", strconv.Itoa(seconds(d.ResetIn)))
	if d.Allowed {
		return nil
	}
	s.cfg.Observer.Limited(class)
	retry := seconds(d.RetryIn)
	hd.Set("Retry-After", strconv.Itoa(retry))
	return gram.Errorf(gram.ERATELIMIT, msg, retry)
}

// seconds rounds d up to whole seconds, at least one: a client that
// waits that long is not early.
func seconds(d time.Duration) int { return max(int((d+time.Second-1)/time.Second), 1) }
