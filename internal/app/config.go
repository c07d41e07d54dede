package app

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// devSecret is the JWT secret used when none is configured. Production
// refuses to start with it.
const devSecret = "development-only-insecure-jwt-secret-change-me"

// Config is every setting of the server, from the environment (and a .env
// file in development). Defaults give a working server with zero setup.
// Each field is filled by the Parse of its setting in the table (the
// config_*.go files register their groups).
type Config struct {
	Env          string // APP_ENV: development | production
	Addr         string // LISTEN_ADDR, ":" + PORT by default
	Port         string
	DataDir      string // DATA_DIR
	DatabaseURL  string // DATABASE_URL
	DBMaxConns   int    // DB_MAX_CONNS
	SQLiteSync   string // SQLITE_SYNCHRONOUS: full (every commit on disk before it is acknowledged) | normal
	PublicURL    string // PUBLIC_URL
	ClientURL    string // CLIENT_URL
	CORSOrigins  []string
	JWTSecrets   []string      // JWT_SECRET (signing) + JWT_SECRETS_OLD (verify only)
	JWTExpiresIn time.Duration // JWT_EXPIRES_IN, e.g. 90d
	LegacyTokens bool          // LEGACY_TOKENS
	MediaURL     string        // MEDIA_URL
	MediaSweep   time.Duration // MEDIA_SWEEP_INTERVAL: pause between sweeps of orphaned media
	ExportTTL    time.Duration // EXPORT_TTL: how long an account export stays downloadable
	MailURL      string        // MAIL_URL
	MailFrom     string        // MAIL_FROM
	SESEndpoint  string        // SES_ENDPOINT
	CheckDomain  bool          // MAIL_CHECK_DOMAIN: DNS check that a new address's domain takes mail
	SNSTopicARN  string        // SES_SNS_TOPIC_ARN: enables the SES bounce/complaint webhook for that topic
	MailRetryMin time.Duration // MAIL_RETRY_MIN: wait after the first failed delivery; doubles per attempt up to an hour
	MailAttempts int           // MAIL_MAX_ATTEMPTS: deliveries tried before a message is given up
	MailWorkers  int           // MAIL_WORKERS: sends in progress at once
	MailLease    time.Duration // MAIL_LEASE: how long a claim on a message holds unrenewed (a dead sender's, at most)
	RedisURL     string        // REDIS_URL
	RedisTimeout time.Duration // REDIS_TIMEOUT: per rate-limit call to Redis, then it counts in process
	TLSCertFile  string        // TLS_CERT_FILE: with TLS_KEY_FILE, serve HTTPS
	TLSKeyFile   string        // TLS_KEY_FILE
	AllowUnsafe  bool          // ALLOW_UNSAFE_PRODUCTION: production starts with a local PUBLIC_URL or CLIENT_URL, or log-only mail
	InstanceName string        // INSTANCE_NAME: this replica's name, sent in the X-Gram-Instance response header
	MetricsAddr  string        // METRICS_ADDR: serve GET /metrics there; "" is off
	Log          LogEnv
	Sizes        SizesEnv
	Limits       LimitsEnv
	Timeouts     TimeoutsEnv
	Uploads      UploadsEnv
	Drain        DrainEnv
	S3           S3Env

	values []Value // every setting's effective value, in table order
}

func init() {
	register(Group{Name: "Server", Rank: 10, Settings: []Setting{
		{Name: "APP_ENV", Default: "development", Parse: parseAppEnv,
			Meaning: "development or production. production turns on secure cookies and HSTS, drops localhost:3000 from CORS, " +
				"ignores .env, and refuses to start with a default or short (< 32 chars) JWT_SECRET or a * CORS origin"},
		{Name: "ENV_FILE", Default: ".env", Meaning: "development only: the file that fills in the variables the environment leaves unset " +
			"(a missing .env is fine, a missing ENV_FILE is an error)"},
		{Name: "PORT", Default: "8080", Meaning: "listening port, on every interface (see LISTEN_ADDR)", Parse: parsePort},
		{Name: "LISTEN_ADDR", Default: ":${PORT}", Parse: parseListenAddr,
			Meaning: "HOST:PORT to listen on: 127.0.0.1:8080 serves this machine only (behind a proxy on the same host), " +
				"[::]:8080 or :8080 every interface. PUBLIC_URL's default still follows PORT"},
		{Name: "DATA_DIR", Default: "./data", Meaning: "where the default database, media and outbox live",
			Parse: func(c *Config, v string) error { c.DataDir = v; return nil }},
		{Name: "PUBLIC_URL", Default: "http://localhost:${PORT}", Meaning: "absolute base URL of this server, for media URLs",
			Parse: func(c *Config, v string) error { c.PublicURL = strings.TrimRight(v, "/"); return httpURL(v) }},
		{Name: "CLIENT_URL", Default: "https://instamern.netlify.app",
			Meaning: "the web client: links in emails ($CLIENT_URL/reset-password/<token>)",
			Parse:   func(c *Config, v string) error { c.ClientURL = strings.TrimRight(v, "/"); return httpURL(v) }},
		{Name: "CORS_ORIGINS", Default: "${CLIENT_URL}", Parse: parseCORS,
			Meaning: "comma-separated origins allowed to call with credentials; development adds http://localhost:3000"},
		{Name: "TLS_CERT_FILE", Meaning: "PEM certificate (chain): with TLS_KEY_FILE, serve HTTPS directly (TLS 1.2+, HTTP/2) " +
			"with HSTS and secure cookies; unset: plain HTTP behind a TLS proxy. Set both or neither",
			Parse: func(c *Config, v string) error { c.TLSCertFile = v; return nil }},
		{Name: "TLS_KEY_FILE", Meaning: "PEM private key of TLS_CERT_FILE", Parse: parseTLSKey},
		{Name: "ALLOW_UNSAFE_PRODUCTION", Default: "false", Parse: func(c *Config, v string) (err error) {
			c.AllowUnsafe, err = parseOnOff(v)
			return err
		}, Meaning: "true lets production start with a localhost PUBLIC_URL or CLIENT_URL, or MAIL_URL=log:, which it otherwise " +
			"refuses (each is logged as a warning): for trying production mode on one machine"},
		{Name: "INSTANCE_NAME", Meaning: "this replica's name, sent in the X-Gram-Instance response header " +
			"(at most 64 printable ASCII characters without spaces)", Parse: parseInstanceName},
	}})
	register(Group{Name: "Sessions", Rank: 30, Settings: []Setting{
		{Name: "JWT_SECRET", DefaultDoc: "a development-only value", Secret: true, Meaning: "HS256 signing secret of session tokens",
			Parse: func(c *Config, v string) error { c.JWTSecrets = []string{cmpOr(v, devSecret)}; return nil }},
		{Name: "JWT_SECRET_FILE", Meaning: "a file holding JWT_SECRET (read instead of JWT_SECRET when set)", Parse: parseSecretFile},
		{Name: "JWT_SECRETS_OLD", Secret: true, Meaning: "comma-separated former secrets still accepted for verification (rotation)",
			Parse: func(c *Config, v string) error { c.JWTSecrets = append(c.JWTSecrets, splitList(v)...); return nil }},
		{Name: "JWT_EXPIRES_IN", Default: "90d", Meaning: "token and session lifetime: 90d, 12h, ...",
			Parse: func(c *Config, v string) (err error) { c.JWTExpiresIn, err = parseDuration(v); return err }},
		{Name: "LEGACY_TOKENS", Default: "on", Meaning: "on: a token of the original InstaMERN server (HS256 signed with a " +
			"secret above, an id claim, issued before the latest gramd import instamern, unexpired) becomes a revocable " +
			"session of its own when first seen; off refuses every such token at once (see Importing from InstaMERN)",
			Parse: func(c *Config, v string) (err error) { c.LegacyTokens, err = parseOnOff(v); return err }},
	}})
}

func parseAppEnv(c *Config, v string) error {
	if v != "development" && v != "production" {
		return fmt.Errorf("must be development or production, not %q", v)
	}
	c.Env = v
	return nil
}

func parsePort(c *Config, v string) error {
	if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("want a port number (0 to 65535), not %q", v)
	}
	c.Port = v
	return nil
}

func parseListenAddr(c *Config, v string) error {
	_, port, err := net.SplitHostPort(v)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return fmt.Errorf("want HOST:PORT, e.g. 127.0.0.1:8080 or :8080, not %q", v)
	}
	c.Addr = v
	return nil
}

func parseCORS(c *Config, v string) error {
	c.CORSOrigins = splitList(v)
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "") {
			return fmt.Errorf("%q is not an origin (scheme://host[:port]) or *", o)
		}
	}
	if !c.Production() && !slices.Contains(c.CORSOrigins, "http://localhost:3000") {
		c.CORSOrigins = append(c.CORSOrigins, "http://localhost:3000")
	}
	return nil
}

func parseTLSKey(c *Config, v string) error {
	c.TLSKeyFile = v
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		return errors.New("goes with TLS_CERT_FILE: set both or neither")
	}
	return nil
}

func parseInstanceName(c *Config, v string) error {
	if len(v) > 64 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return fmt.Errorf("must be at most 64 printable ASCII characters without spaces, not %q", v)
	}
	c.InstanceName = v
	return nil
}

// parseSecretFile replaces the signing secret by the file's content.
func parseSecretFile(c *Config, path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c.JWTSecrets = []string{cmpOr(strings.TrimSpace(string(b)), devSecret)}
	return nil
}

// S3Env are the S3 settings of blob.Config.
type S3Env struct {
	Endpoint, Region, Delivery, PublicURL string
	ForcePathStyle                        bool
	PresignTTL                            time.Duration
}

// Production reports whether APP_ENV is production.
func (c Config) Production() bool { return c.Env == "production" }

// Load reads the configuration through getenv, by the settings table
// alone, and validates it.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	if err := parseAll(&c, getenv); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Validate refuses unsafe production settings and an unknown APP_ENV.
func (c Config) Validate() error {
	if c.Env != "development" && c.Env != "production" {
		return fmt.Errorf("APP_ENV must be development or production, not %q", c.Env)
	}
	if len(c.JWTSecrets) == 0 || c.JWTSecrets[0] == "" {
		return errors.New("no JWT secret")
	}
	if !c.Production() {
		return nil
	}
	if c.JWTSecrets[0] == devSecret || len(c.JWTSecrets[0]) < 32 {
		return errors.New("production needs JWT_SECRET (or JWT_SECRET_FILE) of at least 32 characters")
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			return errors.New("production refuses a wildcard CORS origin")
		}
	}
	return c.refuseUnsafeProduction()
}

// Warnings lists what starts but is probably wrong: in production, the
// settings made for a laptop that ALLOW_UNSAFE_PRODUCTION lets through;
// anywhere, the development JWT secret.
func (c Config) Warnings() []string {
	if !c.Production() {
		if len(c.JWTSecrets) > 0 && c.JWTSecrets[0] == devSecret {
			return []string{"JWT_SECRET is the development secret: anyone can forge sessions; set JWT_SECRET before this server is reachable"}
		}
		return nil
	}
	return c.unsafeProduction()
}

// parseDuration accepts Go durations and the original's day form ("90d").
func parseDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err == nil && d <= 0 {
		err = fmt.Errorf("invalid duration %q", s)
	}
	return d, err
}

// parseOnOff accepts on/off and the forms of strconv.ParseBool.
func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return strconv.ParseBool(s)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.TrimRight(p, "/"))
		}
	}
	return out
}

// cmpOr returns v unless it is the zero value (nil, ""), else def.
func cmpOr[T comparable](v, def T) T {
	var zero T
	if v != zero {
		return v
	}
	return def
}
