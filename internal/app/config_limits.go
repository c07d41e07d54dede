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
	Export          ratelimit.Rule // RATE_LIMIT_EXPORT (per user)
	TrustedProxies  []netip.Prefix
	ForwardedHeader string // FORWARDED_HEADER
}

// authDefault is the default budget of each auth action per IP: at
// least Mastodon's (25 sign-ups, logins, password resets per 5 minutes),
// so that a classroom behind one NAT, or a developer walking the flows,
// is not locked out.
const authDefault = "25/5m"

// rateSetting is a COUNT/WINDOW setting read into the rule field picks.
func rateSetting(name, def, meaning string, field func(*LimitsEnv) *ratelimit.Rule) Setting {
	return Setting{Name: name, Default: def, Meaning: meaning, Parse: func(c *Config, v string) (err error) {
		*field(&c.Limits), err = parseRate(v)
		return err
	}}
}

func init() {
	const auth = "${RATE_LIMIT_AUTH}"
	register(Group{Name: "Rate limits and proxies", Rank: 60, Settings: []Setting{
		{Name: "RATE_LIMIT_AUTH", Default: authDefault, Parse: func(_ *Config, v string) error { _, err := parseRate(v); return err },
			Meaning: "the default of each of the five auth limits below (each still counted apart), so one setting tunes them all"},
		rateSetting("RATE_LIMIT_SIGNUP", auth, "signups per IP: COUNT/WINDOW; 0 or off disables. Every COUNT/WINDOW limit allows "+
			"a burst of COUNT, then one more request every WINDOW/COUNT (GCRA)", func(l *LimitsEnv) *ratelimit.Rule { return &l.Signup }),
		rateSetting("RATE_LIMIT_LOGIN", auth, "login attempts per IP and account",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Login }),
		rateSetting("RATE_LIMIT_LOGIN_FAILURES_PER_IP", auth, "failed logins per IP, whatever the account; keep it above RATE_LIMIT_LOGIN_FAILURES",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.LoginIPFails }),
		rateSetting("RATE_LIMIT_PASSWORD_RESET", auth, "forgot-password and reset-password requests per IP",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Reset }),
		rateSetting("RATE_LIMIT_ACCOUNT", auth, "change email or password, confirm email, deactivate, delete: per IP and per user",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Account }),
		rateSetting("RATE_LIMIT_WRITE", "300/1m", "every other write, per IP and per user",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Write }),
		rateSetting("RATE_LIMIT_READ", "1200/1m", "every GET /instamern/..., per IP and per user (/healthz, /readyz, /media are never limited)",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Read }),
		rateSetting("RATE_LIMIT_RESET_MAIL", "3/1h", "password-reset requests per email address from any IP",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.ResetMails }),
		rateSetting("RATE_LIMIT_LOGIN_FAILURES", "10/15m", "failed logins per account from any IP (never a permanent lockout)",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.LoginFails }),
		rateSetting("RATE_LIMIT_EXPORT", "1/24h", "account exports asked for per user (POST /instamern/users/export); one refused while one is being prepared is not counted",
			func(l *LimitsEnv) *ratelimit.Rule { return &l.Export }),
		{Name: "TRUST_PROXY", Default: "false", Parse: parseTrustProxy,
			Meaning: "older switch: true trusts loopback and private ranges, added to TRUSTED_PROXIES"},
		{Name: "TRUSTED_PROXIES", Parse: parseTrustedProxies,
			Meaning: "comma-separated IPs / CIDRs of your reverse proxies, whose forwarding header gives the client IP"},
		{Name: "FORWARDED_HEADER", Default: "X-Forwarded-For", Parse: parseForwardedHeader,
			Meaning: "the header your proxy writes: X-Forwarded-For or Forwarded (RFC 7239 for=)"},
		{Name: "REDIS_URL", Meaning: "redis://host:6379/0: rate limits shared by every replica (in process when unset or unreachable)",
			Parse: parseRedisURL},
		{Name: "REDIS_TIMEOUT", Default: "50ms", Meaning: "the longest a request waits for Redis before counting in process",
			Parse: func(c *Config, v string) (err error) { c.RedisTimeout, err = parseDuration(v); return err }},
	}})
}

func parseForwardedHeader(c *Config, h string) error {
	switch {
	case strings.EqualFold(h, "X-Forwarded-For"):
		c.Limits.ForwardedHeader = "X-Forwarded-For"
	case strings.EqualFold(h, "Forwarded"):
		c.Limits.ForwardedHeader = "Forwarded"
	default:
		return fmt.Errorf("must be X-Forwarded-For or Forwarded, not %q", h)
	}
	return nil
}

// parseRate reads "N/DURATION" (e.g. 20/15m, 1200/1m, 5/1d); "0" or
// "off" disables the limit.
func parseRate(s string) (ratelimit.Rule, error) {
	if s == "0" || strings.EqualFold(s, "off") {
		return ratelimit.Rule{}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	limit, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || limit <= 0 {
		return ratelimit.Rule{}, fmt.Errorf("want COUNT/DURATION (e.g. 20/15m) or off, not %q", s)
	}
	window, err := parseDuration(strings.TrimSpace(d))
	if err != nil {
		return ratelimit.Rule{}, err
	}
	return ratelimit.Rule{Limit: limit, Window: window}, nil
}

// parseTrustProxy reads TRUST_PROXY, whose true means loopback and
// private ranges (a proxy on the same host or network).
func parseTrustProxy(c *Config, v string) error {
	trust, err := strconv.ParseBool(v)
	if trust {
		c.Limits.TrustedProxies = append(c.Limits.TrustedProxies, api.PrivateNetworks...)
	}
	return err
}

// parseTrustedProxies reads comma-separated CIDRs or addresses.
func parseTrustedProxies(c *Config, list string) error {
	for _, item := range splitList(list) {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return fmt.Errorf("%q is neither an address nor a CIDR range", item)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.Limits.TrustedProxies = append(c.Limits.TrustedProxies, p.Masked())
	}
	return nil
}

// parseRedisURL checks the scheme only (go-redis reads the rest); its
// error does not repeat the URL, which may hold a password.
func parseRedisURL(c *Config, v string) error {
	c.RedisURL = v
	scheme, _, _ := strings.Cut(v, "://")
	switch {
	case v == "", scheme == "redis", scheme == "rediss", scheme == "unix":
		return nil
	}
	return errors.New("want redis://[:PASS@]HOST:PORT/DB, rediss://... or unix://PATH")
}
