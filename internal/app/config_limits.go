package app

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
)

// LimitsEnv are the rate limits and the proxies trusted for the client IP.
type LimitsEnv struct {
	Signup          ratelimit.Rule // RATE_LIMIT_SIGNUP (per IP)
	Login           ratelimit.Rule // RATE_LIMIT_LOGIN (per IP and account)
	Reset           ratelimit.Rule // RATE_LIMIT_PASSWORD_RESET (per IP)
	Account         ratelimit.Rule // RATE_LIMIT_ACCOUNT (per IP and per user)
	Write, Read     ratelimit.Rule // RATE_LIMIT_WRITE, RATE_LIMIT_READ
	LoginFails      ratelimit.Rule // RATE_LIMIT_LOGIN_FAILURES (per account)
	LoginIPFails    ratelimit.Rule // RATE_LIMIT_LOGIN_FAILURES_PER_IP (across accounts)
	ResetMails      ratelimit.Rule // RATE_LIMIT_RESET_MAIL (per email address)
	TrustedProxies  []netip.Prefix
	ForwardedHeader string // FORWARDED_HEADER
}

// authDefault is the default budget of each auth action per IP: at
// least Mastodon's (25 sign-ups, logins, password resets per 5 minutes),
// so that a classroom behind one NAT, or a developer walking the flows,
// is not locked out.
const authDefault = "25/5m"

func loadLimits(env func(k, def string) string) (LimitsEnv, error) {
	var l LimitsEnv
	var errs [11]error
	// RATE_LIMIT_AUTH, when set, is the default of each auth action's
	// budget, each counted apart.
	var auth ratelimit.Rule
	auth, errs[10] = parseRate("RATE_LIMIT_AUTH", env("RATE_LIMIT_AUTH", authDefault))
	l.Signup, errs[0] = rateOr(env, "RATE_LIMIT_SIGNUP", auth)
	l.Login, errs[1] = rateOr(env, "RATE_LIMIT_LOGIN", auth)
	l.Reset, errs[2] = rateOr(env, "RATE_LIMIT_PASSWORD_RESET", auth)
	l.Account, errs[3] = rateOr(env, "RATE_LIMIT_ACCOUNT", auth)
	l.LoginIPFails, errs[4] = rateOr(env, "RATE_LIMIT_LOGIN_FAILURES_PER_IP", auth)
	l.Write, errs[5] = parseRate("RATE_LIMIT_WRITE", env("RATE_LIMIT_WRITE", "300/1m"))
	l.Read, errs[6] = parseRate("RATE_LIMIT_READ", env("RATE_LIMIT_READ", "1200/1m"))
	l.LoginFails, errs[7] = parseRate("RATE_LIMIT_LOGIN_FAILURES", env("RATE_LIMIT_LOGIN_FAILURES", "10/15m"))
	l.ResetMails, errs[8] = parseRate("RATE_LIMIT_RESET_MAIL", env("RATE_LIMIT_RESET_MAIL", "3/1h"))
	l.TrustedProxies, errs[9] = parseProxies(env("TRUSTED_PROXIES", ""), env("TRUST_PROXY", "false"))
	switch h := env("FORWARDED_HEADER", "X-Forwarded-For"); {
	case strings.EqualFold(h, "X-Forwarded-For"):
		l.ForwardedHeader = "X-Forwarded-For"
	case strings.EqualFold(h, "Forwarded"):
		l.ForwardedHeader = "Forwarded"
	default:
		return l, fmt.Errorf("FORWARDED_HEADER must be X-Forwarded-For or Forwarded, not %q", h)
	}
	return l, errors.Join(errs[:]...)
}

// rateOr reads the rule in the variable name, def when it is unset.
func rateOr(env func(k, def string) string, name string, def ratelimit.Rule) (ratelimit.Rule, error) {
	if s := env(name, ""); s != "" {
		return parseRate(name, s)
	}
	return def, nil
}

// parseRate reads "N/DURATION" (e.g. 20/15m, 1200/1m, 5/1d); "0" or
// "off" disables the limit.
func parseRate(name, s string) (ratelimit.Rule, error) {
	if s == "0" || strings.EqualFold(s, "off") {
		return ratelimit.Rule{}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	limit, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || limit <= 0 {
		return ratelimit.Rule{}, fmt.Errorf("%s: want COUNT/DURATION (e.g. 20/15m) or off, not %q", name, s)
	}
	window, err := parseDuration(strings.TrimSpace(d))
	if err != nil {
		return ratelimit.Rule{}, fmt.Errorf("%s: %w", name, err)
	}
	return ratelimit.Rule{Limit: limit, Window: window}, nil
}

// parseProxies reads TRUSTED_PROXIES (comma-separated CIDRs or addresses)
// and the older TRUST_PROXY, whose true means loopback and private ranges
// (a proxy on the same host or network).
func parseProxies(list, trustProxy string) ([]netip.Prefix, error) {
	trust, err := strconv.ParseBool(trustProxy)
	if err != nil {
		return nil, fmt.Errorf("TRUST_PROXY: %w", err)
	}
	var out []netip.Prefix
	if trust {
		out = append(out, api.PrivateNetworks...)
	}
	for _, item := range splitList(list) {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return nil, fmt.Errorf("TRUSTED_PROXIES: %q is neither an address nor a CIDR range", item)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
