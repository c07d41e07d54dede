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
	Auth, Write, Read ratelimit.Rule // RATE_LIMIT_AUTH, RATE_LIMIT_WRITE, RATE_LIMIT_READ
	LoginFails        ratelimit.Rule // RATE_LIMIT_LOGIN_FAILURES (per account)
	ResetMails        ratelimit.Rule // RATE_LIMIT_RESET_MAIL (per email address)
	TrustedProxies    []netip.Prefix
	ForwardedHeader   string // FORWARDED_HEADER
}

func loadLimits(env func(k, def string) string) (LimitsEnv, error) {
	var l LimitsEnv
	var errs [6]error
	l.Auth, errs[0] = parseRate("RATE_LIMIT_AUTH", env("RATE_LIMIT_AUTH", "20/15m"))
	l.Write, errs[1] = parseRate("RATE_LIMIT_WRITE", env("RATE_LIMIT_WRITE", "300/1m"))
	l.Read, errs[2] = parseRate("RATE_LIMIT_READ", env("RATE_LIMIT_READ", "1200/1m"))
	l.LoginFails, errs[3] = parseRate("RATE_LIMIT_LOGIN_FAILURES", env("RATE_LIMIT_LOGIN_FAILURES", "10/15m"))
	l.ResetMails, errs[5] = parseRate("RATE_LIMIT_RESET_MAIL", env("RATE_LIMIT_RESET_MAIL", "3/1h"))
	l.TrustedProxies, errs[4] = parseProxies(env("TRUSTED_PROXIES", ""), env("TRUST_PROXY", "false"))
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
