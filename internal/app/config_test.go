package app

import (
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
)

// auth25 is the default budget of each auth action.
var auth25 = ratelimit.Rule{Limit: 25, Window: 5 * time.Minute}

const prodSecret = "0123456789abcdef0123456789abcdef-prod"

func TestLoadConfig(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "jwt_secret")
	if err := os.WriteFile(secretFile, []byte(prodSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr string // substring of the error; "" means no error
	}{
		{name: "Defaults", env: nil, check: func(t *testing.T, c Config) {
			want := Config{Env: "development", Addr: ":8080", Port: "8080", DataDir: "./data",
				DatabaseURL: "sqlite:./data/gram.db", PublicURL: "http://localhost:8080",
				ClientURL:   "https://instamern.netlify.app",
				CORSOrigins: []string{"https://instamern.netlify.app", "http://localhost:3000"},
				JWTSecrets:  []string{devSecret}, JWTExpiresIn: 90 * 24 * time.Hour, LegacyTokens: true,
				MediaURL: "./data/media", MediaSweep: 3 * time.Hour, ExportTTL: 7 * 24 * time.Hour, MailURL: "log:./data/outbox", MailFrom: "InstaMERN <no-reply@localhost>",
				MailRetryMin: 30 * time.Second, MailAttempts: 8, RedisTimeout: 50 * time.Millisecond,
				MailWorkers: 4, MailLease: 15 * time.Second, SQLiteSync: "full",
				S3:       S3Env{Delivery: "public", PresignTTL: time.Hour},
				Timeouts: TimeoutsEnv{Request: 5 * time.Second, Upload: time.Minute, DBStatement: 5 * time.Second},
				Limits: LimitsEnv{Signup: auth25, Login: auth25, Reset: auth25, Account: auth25, LoginIPFails: auth25,
					Write: ratelimit.Rule{Limit: 300, Window: time.Minute}, Read: ratelimit.Rule{Limit: 1200, Window: time.Minute},
					LoginFails: ratelimit.Rule{Limit: 10, Window: 15 * time.Minute},
					ResetMails: ratelimit.Rule{Limit: 3, Window: time.Hour}, Export: ratelimit.Rule{Limit: 1, Window: 24 * time.Hour},
					ForwardedHeader: "X-Forwarded-For"},
				Uploads: UploadsEnv{MaxConcurrent: 16, PerAccount: 2, DecodeBudget: 256 << 20},
				Drain:   DrainEnv{Delay: 5 * time.Second, Shutdown: 20 * time.Second},
				Log:     LogEnv{Level: slog.LevelInfo, JSON: true}, Sizes: SizesEnv{JSON: 1 << 20, Photo: 20 << 20}}
			c.values = nil // TestSettingsTable checks them
			if !reflect.DeepEqual(c, want) {
				t.Errorf("config = %+v\nwant     %+v", c, want)
			}
			if c.Production() {
				t.Error("Production() = true by default")
			}
		}},
		{name: "PortAndDataDir", env: map[string]string{"PORT": "9000", "DATA_DIR": "/srv/gram"}, check: func(t *testing.T, c Config) {
			if c.Addr != ":9000" || c.PublicURL != "http://localhost:9000" || c.DatabaseURL != "sqlite:/srv/gram/gram.db" ||
				c.MediaURL != "/srv/gram/media" || c.MailURL != "log:/srv/gram/outbox" {
				t.Errorf("config = %+v", c)
			}
		}},
		{name: "PublicAndClientURLTrailingSlash", env: map[string]string{"PUBLIC_URL": "https://api.example.com/",
			"CLIENT_URL": "https://app.example.com/"}, check: func(t *testing.T, c Config) {
			if c.PublicURL != "https://api.example.com" || c.ClientURL != "https://app.example.com" {
				t.Errorf("PublicURL %q, ClientURL %q", c.PublicURL, c.ClientURL)
			}
			wantList(t, "CORSOrigins", c.CORSOrigins, "https://app.example.com", "http://localhost:3000")
		}},
		{name: "JWTExpiresInDays", env: map[string]string{"JWT_EXPIRES_IN": "90d"}, check: func(t *testing.T, c Config) {
			wantDuration(t, c.JWTExpiresIn, 90*24*time.Hour)
		}},
		{name: "JWTExpiresInHours", env: map[string]string{"JWT_EXPIRES_IN": "2h"}, check: func(t *testing.T, c Config) {
			wantDuration(t, c.JWTExpiresIn, 2*time.Hour)
		}},
		{name: "JWTExpiresInBad", env: map[string]string{"JWT_EXPIRES_IN": "bad"}, wantErr: "JWT_EXPIRES_IN"},
		{name: "JWTExpiresInZeroDays", env: map[string]string{"JWT_EXPIRES_IN": "0d"}, wantErr: "JWT_EXPIRES_IN"},
		{name: "JWTExpiresInNegative", env: map[string]string{"JWT_EXPIRES_IN": "-1h"}, wantErr: "JWT_EXPIRES_IN"},
		{name: "JWTSecretAndOld", env: map[string]string{"JWT_SECRET": "s1", "JWT_SECRETS_OLD": "s0, s-1"}, check: func(t *testing.T, c Config) {
			wantList(t, "JWTSecrets", c.JWTSecrets, "s1", "s0", "s-1")
		}},
		{name: "JWTSecretFile", env: map[string]string{"JWT_SECRET_FILE": secretFile, "JWT_SECRET": "ignored"}, check: func(t *testing.T, c Config) {
			wantList(t, "JWTSecrets", c.JWTSecrets, prodSecret)
		}},
		{name: "JWTSecretFileMissing", env: map[string]string{"JWT_SECRET_FILE": filepath.Join(t.TempDir(), "nope")}, wantErr: "JWT_SECRET_FILE"},
		{name: "CORSListDevelopment", env: map[string]string{"CORS_ORIGINS": "https://a.example, https://b.example/ ,"}, check: func(t *testing.T, c Config) {
			wantList(t, "CORSOrigins", c.CORSOrigins, "https://a.example", "https://b.example", "http://localhost:3000")
		}},
		{name: "CORSLocalhostOnce", env: map[string]string{"CORS_ORIGINS": "http://localhost:3000,https://a.example"}, check: func(t *testing.T, c Config) {
			wantList(t, "CORSOrigins", c.CORSOrigins, "http://localhost:3000", "https://a.example")
		}},
		{name: "CORSListProduction", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret, "PUBLIC_URL": "https://api.example.com", "MAIL_URL": "ses:eu-west-1",
			"CORS_ORIGINS": "https://a.example,https://b.example"}, check: func(t *testing.T, c Config) {
			if !c.Production() {
				t.Error("Production() = false")
			}
			wantList(t, "CORSOrigins", c.CORSOrigins, "https://a.example", "https://b.example")
		}},
		{name: "ProductionDefaultCORS", env: map[string]string{"APP_ENV": "production", "JWT_SECRET_FILE": secretFile, "PUBLIC_URL": "https://api.example.com", "MAIL_URL": "ses:eu-west-1"}, check: func(t *testing.T, c Config) {
			wantList(t, "CORSOrigins", c.CORSOrigins, "https://instamern.netlify.app")
			wantList(t, "JWTSecrets", c.JWTSecrets, prodSecret)
			if !c.CheckDomain {
				t.Error("CheckDomain = false; production checks mail domains by default")
			}
		}},
		{name: "ProductionCheckDomainOff", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret, "PUBLIC_URL": "https://api.example.com", "MAIL_URL": "ses:eu-west-1", "MAIL_CHECK_DOMAIN": "off"},
			check: func(t *testing.T, c Config) {
				if c.CheckDomain {
					t.Error("CheckDomain = true with MAIL_CHECK_DOMAIN=off")
				}
			}},
		{name: "CheckDomainOn", env: map[string]string{"MAIL_CHECK_DOMAIN": "ON"}, check: func(t *testing.T, c Config) {
			if !c.CheckDomain {
				t.Error("CheckDomain = false with MAIL_CHECK_DOMAIN=ON")
			}
		}},
		{name: "MailRetry", env: map[string]string{"MAIL_RETRY_MIN": "2s", "MAIL_MAX_ATTEMPTS": "3"}, check: func(t *testing.T, c Config) {
			if c.MailRetryMin != 2*time.Second || c.MailAttempts != 3 {
				t.Errorf("MailRetryMin %v, MailAttempts %d", c.MailRetryMin, c.MailAttempts)
			}
		}},
		{name: "MailAttemptsZero", env: map[string]string{"MAIL_MAX_ATTEMPTS": "0"}, wantErr: "MAIL_MAX_ATTEMPTS"},
		{name: "MailSender", env: map[string]string{"MAIL_WORKERS": "8", "MAIL_LEASE": "5s"}, check: func(t *testing.T, c Config) {
			if c.MailWorkers != 8 || c.MailLease != 5*time.Second {
				t.Errorf("MailWorkers %d, MailLease %v", c.MailWorkers, c.MailLease)
			}
		}},
		{name: "MailWorkersZero", env: map[string]string{"MAIL_WORKERS": "0"}, wantErr: "MAIL_WORKERS"},
		{name: "MailLeaseTooShort", env: map[string]string{"MAIL_LEASE": "500ms"}, wantErr: "MAIL_LEASE"},
		{name: "SQLiteSynchronousNormal", env: map[string]string{"SQLITE_SYNCHRONOUS": "NORMAL"}, check: func(t *testing.T, c Config) {
			if c.SQLiteSync != "normal" {
				t.Errorf("SQLiteSync %q", c.SQLiteSync)
			}
		}},
		{name: "SQLiteSynchronousBad", env: map[string]string{"SQLITE_SYNCHRONOUS": "off"}, wantErr: "SQLITE_SYNCHRONOUS"},
		{name: "MailRetryBad", env: map[string]string{"MAIL_RETRY_MIN": "soon"}, wantErr: "MAIL_RETRY_MIN"},
		{name: "RedisTimeout", env: map[string]string{"REDIS_TIMEOUT": "20ms"}, check: func(t *testing.T, c Config) {
			if c.RedisTimeout != 20*time.Millisecond {
				t.Errorf("RedisTimeout %v", c.RedisTimeout)
			}
		}},
		{name: "RedisTimeoutBad", env: map[string]string{"REDIS_TIMEOUT": "0"}, wantErr: "REDIS_TIMEOUT"},
		{name: "Timeouts", env: map[string]string{"REQUEST_TIMEOUT": "2s", "UPLOAD_TIMEOUT": "3m"}, check: func(t *testing.T, c Config) {
			if want := (TimeoutsEnv{Request: 2 * time.Second, Upload: 3 * time.Minute, DBStatement: 2 * time.Second}); c.Timeouts != want {
				t.Errorf("Timeouts %+v, want %+v (the statement timeout follows the request's)", c.Timeouts, want)
			}
		}},
		{name: "StatementTimeout", env: map[string]string{"DB_STATEMENT_TIMEOUT": "1500ms"}, check: func(t *testing.T, c Config) {
			if c.Timeouts.DBStatement != 1500*time.Millisecond || c.Timeouts.Request != 5*time.Second {
				t.Errorf("Timeouts %+v", c.Timeouts)
			}
		}},
		{name: "RequestTimeoutBad", env: map[string]string{"REQUEST_TIMEOUT": "0"}, wantErr: "REQUEST_TIMEOUT"},
		{name: "UploadTimeoutBad", env: map[string]string{"UPLOAD_TIMEOUT": "soon"}, wantErr: "UPLOAD_TIMEOUT"},
		{name: "StatementTimeoutBad", env: map[string]string{"DB_STATEMENT_TIMEOUT": "-1s"}, wantErr: "DB_STATEMENT_TIMEOUT"},
		{name: "MediaSweep", env: map[string]string{"MEDIA_SWEEP_INTERVAL": "20m"}, check: func(t *testing.T, c Config) {
			wantDuration(t, c.MediaSweep, 20*time.Minute)
		}},
		{name: "MediaSweepBad", env: map[string]string{"MEDIA_SWEEP_INTERVAL": "0s"}, wantErr: "MEDIA_SWEEP_INTERVAL"},
		{name: "CheckDomainBad", env: map[string]string{"MAIL_CHECK_DOMAIN": "sometimes"}, wantErr: "MAIL_CHECK_DOMAIN"},
		{name: "ProductionWildcardCORS", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret, "PUBLIC_URL": "https://api.example.com", "MAIL_URL": "ses:eu-west-1", "CORS_ORIGINS": "https://a.example,*"},
			wantErr: "wildcard"},
		{name: "ProductionDefaultSecret", env: map[string]string{"APP_ENV": "production"}, wantErr: "JWT_SECRET"},
		{name: "ProductionShortSecret", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": "short"}, wantErr: "JWT_SECRET"},
		{name: "UnknownEnv", env: map[string]string{"APP_ENV": "staging"}, wantErr: "APP_ENV"},
		{name: "BadNumbers", env: map[string]string{"DB_MAX_CONNS": "many", "TRUST_PROXY": "maybe"}, wantErr: "DB_MAX_CONNS"},
		{name: "RateLimits", env: map[string]string{"RATE_LIMIT_AUTH": "5/1h", "RATE_LIMIT_WRITE": "off", "RATE_LIMIT_READ": "0",
			"RATE_LIMIT_LOGIN_FAILURES": " 3 / 2d", "RATE_LIMIT_RESET_MAIL": "off"}, check: func(t *testing.T, c Config) {
			auth := ratelimit.Rule{Limit: 5, Window: time.Hour} // each action's default, counted apart
			want := LimitsEnv{Signup: auth, Login: auth, Reset: auth, Account: auth, LoginIPFails: auth,
				LoginFails: ratelimit.Rule{Limit: 3, Window: 48 * time.Hour}, Export: ratelimit.Rule{Limit: 1, Window: 24 * time.Hour},
				ForwardedHeader: "X-Forwarded-For"}
			if !reflect.DeepEqual(c.Limits, want) {
				t.Errorf("Limits = %+v, want %+v", c.Limits, want)
			}
		}},
		{name: "RateLimitsPerAction", env: map[string]string{"RATE_LIMIT_AUTH": "5/1h", "RATE_LIMIT_SIGNUP": "50/1m", "RATE_LIMIT_LOGIN": "off",
			"RATE_LIMIT_PASSWORD_RESET": "7/1h", "RATE_LIMIT_ACCOUNT": "8/1h", "RATE_LIMIT_LOGIN_FAILURES_PER_IP": "9/1h"}, check: func(t *testing.T, c Config) {
			l := c.Limits
			if l.Signup != (ratelimit.Rule{Limit: 50, Window: time.Minute}) || l.Login != (ratelimit.Rule{}) || l.Reset.Limit != 7 ||
				l.Account.Limit != 8 || l.LoginIPFails.Limit != 9 {
				t.Errorf("Limits = %+v", l)
			}
		}},
		{name: "RateLimitLoginBad", env: map[string]string{"RATE_LIMIT_LOGIN": "many"}, wantErr: "RATE_LIMIT_LOGIN"},
		{name: "Uploads", env: map[string]string{"UPLOAD_MAX_CONCURRENT": "4", "UPLOAD_MAX_PER_ACCOUNT": "1",
			"UPLOAD_DECODE_BUDGET": "128", "UPLOAD_TEMP_DIR": "/var/tmp/gram"}, check: func(t *testing.T, c Config) {
			want := UploadsEnv{MaxConcurrent: 4, PerAccount: 1, DecodeBudget: 128 << 20, TempDir: "/var/tmp/gram"}
			if c.Uploads != want {
				t.Errorf("Uploads = %+v, want %+v", c.Uploads, want)
			}
		}},
		{name: "UploadsZero", env: map[string]string{"UPLOAD_MAX_PER_ACCOUNT": "0"}, wantErr: "UPLOAD_MAX_PER_ACCOUNT"},
		{name: "UploadsBad", env: map[string]string{"UPLOAD_DECODE_BUDGET": "256MB"}, wantErr: "UPLOAD_DECODE_BUDGET"},
		{name: "RateLimitNoWindow", env: map[string]string{"RATE_LIMIT_AUTH": "20"}, wantErr: "RATE_LIMIT_AUTH"},
		{name: "RateLimitNegative", env: map[string]string{"RATE_LIMIT_READ": "-1/1m"}, wantErr: "RATE_LIMIT_READ"},
		{name: "RateLimitBadWindow", env: map[string]string{"RATE_LIMIT_WRITE": "10/soon"}, wantErr: "RATE_LIMIT_WRITE"},
		{name: "TrustedProxies", env: map[string]string{"TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/16,2001:db8::/32", "FORWARDED_HEADER": "forwarded"},
			check: func(t *testing.T, c Config) {
				want := []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("2001:db8::/32")}
				if !slices.Equal(c.Limits.TrustedProxies, want) || c.Limits.ForwardedHeader != "Forwarded" {
					t.Errorf("TrustedProxies %v, header %q", c.Limits.TrustedProxies, c.Limits.ForwardedHeader)
				}
			}},
		{name: "TrustProxyMeansPrivate", env: map[string]string{"TRUST_PROXY": "true", "TRUSTED_PROXIES": "203.0.113.7"}, check: func(t *testing.T, c Config) {
			want := append(slices.Clone(api.PrivateNetworks), netip.MustParsePrefix("203.0.113.7/32"))
			if !slices.Equal(c.Limits.TrustedProxies, want) {
				t.Errorf("TrustedProxies %v, want %v", c.Limits.TrustedProxies, want)
			}
		}},
		{name: "TrustedProxiesBad", env: map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, wantErr: "TRUSTED_PROXIES"},
		{name: "ForwardedHeaderBad", env: map[string]string{"FORWARDED_HEADER": "X-Real-IP"}, wantErr: "FORWARDED_HEADER"},
		{name: "TLSPair", env: map[string]string{"TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem"}, check: func(t *testing.T, c Config) {
			if c.TLSCertFile != "/c.pem" || c.TLSKeyFile != "/k.pem" {
				t.Errorf("TLS %q %q", c.TLSCertFile, c.TLSKeyFile)
			}
		}},
		{name: "InstanceName", env: map[string]string{"INSTANCE_NAME": "gramd-2"}, check: func(t *testing.T, c Config) {
			if c.InstanceName != "gramd-2" {
				t.Errorf("InstanceName %q, want gramd-2", c.InstanceName)
			}
		}},
		{name: "InstanceNameBad", env: map[string]string{"INSTANCE_NAME": "replica\x01two"}, wantErr: "INSTANCE_NAME"},
		{name: "ListenAddr", env: map[string]string{"LISTEN_ADDR": "127.0.0.1:9090", "PORT": "9000"}, check: func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:9090" || c.PublicURL != "http://localhost:9000" {
				t.Errorf("Addr %q, PublicURL %q", c.Addr, c.PublicURL)
			}
		}},
		{name: "ListenAddrFollowsPort", env: map[string]string{"PORT": "9000"}, check: func(t *testing.T, c Config) {
			if c.Addr != ":9000" {
				t.Errorf("Addr %q, want :9000", c.Addr)
			}
		}},
		{name: "LogSettings", env: map[string]string{"LOG_LEVEL": "WARN", "LOG_FORMAT": "text"}, check: func(t *testing.T, c Config) {
			if c.Log != (LogEnv{Level: slog.LevelWarn}) {
				t.Errorf("Log %+v", c.Log)
			}
		}},
		{name: "Sizes", env: map[string]string{"JSON_MAX_BYTES": "65536", "UPLOAD_MAX_BYTES": "50mb"}, check: func(t *testing.T, c Config) {
			if c.Sizes != (SizesEnv{JSON: 64 << 10, Photo: 50 << 20}) {
				t.Errorf("Sizes %+v", c.Sizes)
			}
		}},
		{name: "TLSCertWithoutKey", env: map[string]string{"TLS_CERT_FILE": "/c.pem"}, wantErr: "TLS_KEY_FILE"},
		{name: "BlankIsDefault", env: map[string]string{"PORT": "  ", "APP_ENV": " "}, check: func(t *testing.T, c Config) {
			if c.Port != "8080" || c.Env != "development" {
				t.Errorf("Port %q, Env %q; blank values must mean the default", c.Port, c.Env)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			tt.check(t, c)
		})
	}
}

func wantList(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func wantDuration(t *testing.T, got, want time.Duration) {
	t.Helper()
	if got != want {
		t.Errorf("JWTExpiresIn = %v, want %v", got, want)
	}
}

func TestWithDotEnv(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.env")
	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(good, []byte("PORT=9000\nCLIENT_URL=https://dotenv.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("PORT='unterminated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    map[string]string // name -> value seen through the layered getenv
		wantErr bool
	}{
		{name: "FileFillsUnset", env: map[string]string{"ENV_FILE": good},
			want: map[string]string{"PORT": "9000", "CLIENT_URL": "https://dotenv.example"}},
		{name: "RealEnvironmentWins", env: map[string]string{"ENV_FILE": good, "PORT": "7000"},
			want: map[string]string{"PORT": "7000", "CLIENT_URL": "https://dotenv.example"}},
		{name: "IgnoredInProduction", env: map[string]string{"ENV_FILE": good, "APP_ENV": "production"},
			want: map[string]string{"PORT": "", "CLIENT_URL": ""}},
		{name: "NoDefaultFile", env: map[string]string{}, want: map[string]string{"PORT": ""}},
		{name: "ExplicitFileMissing", env: map[string]string{"ENV_FILE": filepath.Join(dir, "nope.env")}, wantErr: true},
		{name: "Malformed", env: map[string]string{"ENV_FILE": bad}, wantErr: true},
	}
	t.Chdir(dir) // no .env here: the default file is absent
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, err := WithDotEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if err == nil {
					t.Fatal("WithDotEnv() error = nil, want one")
				}
				return
			}
			if err != nil {
				t.Fatalf("WithDotEnv() error = %v", err)
			}
			for k, want := range tt.want {
				if got := getenv(k); got != want {
					t.Errorf("getenv(%q) = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestConfigWarnings(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{name: "DevelopmentDefaults", env: nil, want: 1}, // the development JWT secret
		{name: "DevelopmentSecret", env: map[string]string{"JWT_SECRET": "s"}, want: 0},
		{name: "ProductionDefaultsAllowed", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret, "ALLOW_UNSAFE_PRODUCTION": "1"}, want: 2},
		{name: "ProductionConfigured", env: map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret,
			"PUBLIC_URL": "https://api.example.com", "MAIL_URL": "ses:eu-west-1"}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Warnings(); len(got) != tt.want {
				t.Errorf("Warnings() = %q, want %d", got, tt.want)
			}
		})
	}
}
