package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/sqlstore"
)

// devSecret is the JWT secret used when none is configured. Production
// refuses to start with it.
const devSecret = "development-only-insecure-jwt-secret-change-me"

// Config is every setting of the server, from the environment (and a .env
// file in development). Defaults give a working server with zero setup.
type Config struct {
	Env          string // APP_ENV: development | production
	Addr         string // ":" + PORT
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
	MediaURL     string        // MEDIA_URL
	MediaSweep   time.Duration // MEDIA_SWEEP_INTERVAL: pause between sweeps of orphaned media
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
	InstanceName string        // INSTANCE_NAME: this replica's name, sent in the X-Gram-Instance response header
	Limits       LimitsEnv
	Timeouts     TimeoutsEnv
	Uploads      UploadsEnv
	S3           S3Env
}

// S3Env are the S3 settings of blob.Config.
type S3Env struct {
	Endpoint, Region, Delivery, PublicURL string
	ForcePathStyle                        bool
	PresignTTL                            time.Duration
}

// Production reports whether APP_ENV is production.
func (c Config) Production() bool { return c.Env == "production" }

// Load reads the configuration through getenv and validates it.
func Load(getenv func(string) string) (Config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{Env: env("APP_ENV", "development"), Port: env("PORT", "8080")}
	c.Addr = ":" + c.Port
	c.DataDir = env("DATA_DIR", "./data")
	c.DatabaseURL = env("DATABASE_URL", "sqlite:"+filepath.Join(c.DataDir, "gram.db"))
	c.PublicURL = strings.TrimRight(env("PUBLIC_URL", "http://localhost:"+c.Port), "/")
	c.ClientURL = strings.TrimRight(env("CLIENT_URL", "https://instamern.netlify.app"), "/")
	c.MediaURL = env("MEDIA_URL", filepath.Join(c.DataDir, "media"))
	c.MailURL = env("MAIL_URL", "log:"+filepath.Join(c.DataDir, "outbox"))
	c.MailFrom = env("MAIL_FROM", "InstaMERN <no-reply@localhost>")
	c.SESEndpoint = env("SES_ENDPOINT", "")
	c.SNSTopicARN = env("SES_SNS_TOPIC_ARN", "")
	c.RedisURL = env("REDIS_URL", "")
	c.CORSOrigins = splitList(env("CORS_ORIGINS", c.ClientURL))
	if !c.Production() && !slices.Contains(c.CORSOrigins, "http://localhost:3000") {
		c.CORSOrigins = append(c.CORSOrigins, "http://localhost:3000")
	}
	secret, err := secretEnv(getenv, "JWT_SECRET")
	if err != nil {
		return c, err
	}
	c.JWTSecrets = append([]string{cmpOr(secret, devSecret)}, splitList(getenv("JWT_SECRETS_OLD"))...)
	var errs []error
	c.JWTExpiresIn, err = parseDuration(env("JWT_EXPIRES_IN", "90d"))
	errs = append(errs, wrapVar("JWT_EXPIRES_IN", err))
	c.DBMaxConns, err = strconv.Atoi(env("DB_MAX_CONNS", "0"))
	errs = append(errs, wrapVar("DB_MAX_CONNS", err))
	c.Limits, err = loadLimits(env)
	errs = append(errs, err)
	c.Timeouts, err = loadTimeouts(env)
	errs = append(errs, err)
	c.Uploads, err = loadUploads(env)
	errs = append(errs, err)
	c.TLSCertFile, c.TLSKeyFile = env("TLS_CERT_FILE", ""), env("TLS_KEY_FILE", "")
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither"))
	}
	c.S3, err = loadS3(env)
	errs = append(errs, err)
	c.MediaSweep, err = parseDuration(env("MEDIA_SWEEP_INTERVAL", "3h"))
	errs = append(errs, wrapVar("MEDIA_SWEEP_INTERVAL", err))
	c.MailRetryMin, err = parseDuration(env("MAIL_RETRY_MIN", "30s"))
	errs = append(errs, wrapVar("MAIL_RETRY_MIN", err))
	c.RedisTimeout, err = parseDuration(env("REDIS_TIMEOUT", "50ms"))
	errs = append(errs, wrapVar("REDIS_TIMEOUT", err))
	c.MailAttempts, err = strconv.Atoi(env("MAIL_MAX_ATTEMPTS", "8"))
	if err == nil && c.MailAttempts < 1 {
		err = errors.New("must be at least 1")
	}
	errs = append(errs, wrapVar("MAIL_MAX_ATTEMPTS", err))
	c.CheckDomain, err = parseOnOff(env("MAIL_CHECK_DOMAIN", strconv.FormatBool(c.Production())))
	errs = append(errs, wrapVar("MAIL_CHECK_DOMAIN", err))
	c.MailWorkers, c.MailLease, err = loadMailSender(env)
	errs = append(errs, err)
	c.InstanceName = env("INSTANCE_NAME", "")
	if len(c.InstanceName) > 64 || strings.ContainsFunc(c.InstanceName, func(r rune) bool { return r <= ' ' || r > '~' }) {
		errs = append(errs, fmt.Errorf("INSTANCE_NAME must be at most 64 printable ASCII characters without spaces, not %q", c.InstanceName))
	}
	c.SQLiteSync = strings.ToLower(env("SQLITE_SYNCHRONOUS", sqlstore.SyncFull))
	if c.SQLiteSync != sqlstore.SyncFull && c.SQLiteSync != sqlstore.SyncNormal {
		errs = append(errs, fmt.Errorf("SQLITE_SYNCHRONOUS must be %s or %s, not %q", sqlstore.SyncFull, sqlstore.SyncNormal, c.SQLiteSync))
	}
	if err := errors.Join(errs...); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// loadMailSender reads the outbox sender's MAIL_WORKERS and MAIL_LEASE.
func loadMailSender(env func(k, def string) string) (workers int, lease time.Duration, err error) {
	workers, err1 := strconv.Atoi(env("MAIL_WORKERS", strconv.Itoa(mail.DefaultWorkers)))
	if err1 == nil && workers < 1 {
		err1 = errors.New("must be at least 1")
	}
	lease, err2 := parseDuration(env("MAIL_LEASE", mail.DefaultLease.String()))
	if err2 == nil && lease < time.Second {
		err2 = errors.New("must be at least 1s")
	}
	return workers, lease, errors.Join(wrapVar("MAIL_WORKERS", err1), wrapVar("MAIL_LEASE", err2))
}

func loadS3(env func(k, def string) string) (S3Env, error) {
	s := S3Env{Endpoint: env("S3_ENDPOINT", ""), Region: env("S3_REGION", ""), Delivery: env("MEDIA_DELIVERY", "public"),
		PublicURL: env("MEDIA_PUBLIC_URL", "")}
	var err1, err2 error
	s.ForcePathStyle, err1 = strconv.ParseBool(env("S3_FORCE_PATH_STYLE", "false"))
	s.PresignTTL, err2 = parseDuration(env("MEDIA_PRESIGN_TTL", "1h"))
	return s, errors.Join(wrapVar("S3_FORCE_PATH_STYLE", err1), wrapVar("MEDIA_PRESIGN_TTL", err2))
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
	return nil
}

// Warnings lists settings that start but are probably wrong in
// production: defaults made for a laptop.
func (c Config) Warnings() []string {
	if !c.Production() {
		return nil
	}
	var w []string
	if strings.HasPrefix(c.PublicURL, "http://localhost:") {
		w = append(w, "PUBLIC_URL is "+c.PublicURL+": media links will not load outside this machine")
	}
	if strings.HasPrefix(c.MailURL, "log:") {
		w = append(w, "MAIL_URL is "+c.MailURL+": mail (password resets) is written to a folder, not delivered")
	}
	return w
}

// secretEnv reads NAME, or the file named by NAME_FILE.
func secretEnv(getenv func(string) string, name string) (string, error) {
	if path := getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return getenv(name), nil
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

func wrapVar(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// cmpOr returns v unless it is the zero value (nil, ""), else def.
func cmpOr[T comparable](v, def T) T {
	var zero T
	if v != zero {
		return v
	}
	return def
}
