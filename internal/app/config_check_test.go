package app

import (
	"strings"
	"testing"

	"github.com/instamern/gram/internal/testenv"
)

// TestConfigRefusesNonsense: each malformed setting is refused with one
// clear message, naming the setting once and never a password.
func TestConfigRefusesNonsense(t *testing.T) {
	const mailForms = "want log:DIR, smtp://[USER:PASS@]HOST[:PORT], smtps://... or ses:REGION"
	const mediaForms = "want a folder path, file://PATH or s3://BUCKET[/PREFIX]"
	prod := func(kv ...string) map[string]string {
		env := map[string]string{"APP_ENV": "production", "JWT_SECRET": prodSecret, "PUBLIC_URL": "https://api.example.com",
			"MAIL_URL": "smtp://mail.example.com"}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		want string // the whole error
	}{
		{"DatabaseMySQL", map[string]string{"DATABASE_URL": "mysql://root@127.0.0.1/x"},
			`DATABASE_URL: unknown scheme "mysql": want sqlite:PATH, a plain path, or postgres://USER:PASS@HOST:PORT/DB`},
		{"DatabaseMongoDBNotBuilt", map[string]string{"DATABASE_URL": "mongodb+srv://u:p@cluster.example.com/gram"},
			"DATABASE_URL: the MongoDB backend is not part of this build of gramd"},
		{"DatabaseSQLiteNoPath", map[string]string{"DATABASE_URL": "sqlite:"},
			"DATABASE_URL: names no file: want sqlite:PATH, e.g. sqlite:./data/gram.db"},
		{"DatabasePostgresOpaque", map[string]string{"DATABASE_URL": "postgres:gram"},
			"DATABASE_URL: is not a valid PostgreSQL URL: want postgres://USER:PASS@HOST:PORT/DB"},
		{"DatabasePostgresBadPortKeepsPassword", map[string]string{"DATABASE_URL": "postgres://u:hunter2@db:port/gram"},
			"DATABASE_URL: is not a valid PostgreSQL URL: want postgres://USER:PASS@HOST:PORT/DB"},
		{"MediaS3OneSlash", map[string]string{"MEDIA_URL": "s3:/bucket"}, `MEDIA_URL: "s3:/bucket" is malformed: ` + mediaForms},
		{"MediaS3NoBucket", map[string]string{"MEDIA_URL": "s3://"}, `MEDIA_URL: "s3://" names no bucket: s3://BUCKET[/PREFIX]`},
		{"MediaUnknownScheme", map[string]string{"MEDIA_URL": "gs://bucket/media"}, `MEDIA_URL: unknown scheme "gs": ` + mediaForms},
		{"MediaDelivery", map[string]string{"MEDIA_DELIVERY": "cdn"}, `MEDIA_DELIVERY: must be public, presign or proxy, not "cdn"`},
		{"MediaPublicURL", map[string]string{"MEDIA_PUBLIC_URL": "cdn.example.com"},
			`MEDIA_PUBLIC_URL: want an absolute http:// or https:// URL, not "cdn.example.com"`},
		{"MailSESNoRegion", map[string]string{"MAIL_URL": "ses:"}, "MAIL_URL: ses needs a region: ses:REGION, e.g. ses:eu-west-1"},
		{"MailSESNoRegionSlashes", map[string]string{"MAIL_URL": "ses://"}, "MAIL_URL: ses needs a region: ses:REGION, e.g. ses:eu-west-1"},
		{"MailNoColon", map[string]string{"MAIL_URL": "smtp//mail.example.com"}, "MAIL_URL: has no scheme (is a ':' missing?): " + mailForms},
		{"MailSMTPNoHost", map[string]string{"MAIL_URL": "smtp:mail.example.com"}, "MAIL_URL: smtp needs a host: smtp://[USER:PASS@]HOST[:PORT]"},
		{"MailUnknownScheme", map[string]string{"MAIL_URL": "sendmail:/usr/sbin/sendmail"}, `MAIL_URL: unknown scheme "sendmail": ` + mailForms},
		{"MailBadTLSKeepsPassword", map[string]string{"MAIL_URL": "smtp://u:hunter2@mail.example.com?tls=maybe"},
			`MAIL_URL: unknown tls mode "maybe" (want opportunistic, required, none or implicit)`},
		{"MailFrom", map[string]string{"MAIL_FROM": "InstaMERN"}, "MAIL_FROM: bad from address: missing '@' or angle-addr"},
		{"PublicURLNoScheme", map[string]string{"PUBLIC_URL": "api.example.com"},
			`PUBLIC_URL: want an absolute http:// or https:// URL, not "api.example.com"`},
		{"ClientURLNoHost", map[string]string{"CLIENT_URL": "https://"}, `CLIENT_URL: want an absolute http:// or https:// URL, not "https://"`},
		{"CORSNotOrigin", map[string]string{"CORS_ORIGINS": "app.example.com"},
			`CORS_ORIGINS: "app.example.com" is not an origin (scheme://host[:port]) or *`},
		{"RedisScheme", map[string]string{"REDIS_URL": "http://:hunter2@127.0.0.1:6379"},
			"REDIS_URL: want redis://[:PASS@]HOST:PORT/DB, rediss://... or unix://PATH"},
		{"ProductionLocalPublicURL", prod("PUBLIC_URL", "http://localhost:8080"),
			"PUBLIC_URL is http://localhost:8080, so media links will not load outside this machine: production refuses this unless ALLOW_UNSAFE_PRODUCTION=true"},
		{"ProductionLoopbackClientURL", prod("CLIENT_URL", "http://127.0.0.1:3000"),
			"CLIENT_URL is http://127.0.0.1:3000, so links in emails will not open outside this machine: production refuses this unless ALLOW_UNSAFE_PRODUCTION=true"},
		{"ProductionLogMail", prod("MAIL_URL", "log:/var/gram/outbox"),
			"MAIL_URL is log:/var/gram/outbox, so mail (password resets) is written to a folder, not delivered: production refuses this unless ALLOW_UNSAFE_PRODUCTION=true"},
		{"ListenAddrNoPort", map[string]string{"LISTEN_ADDR": "127.0.0.1"}, `LISTEN_ADDR: want HOST:PORT, e.g. 127.0.0.1:8080 or :8080, not "127.0.0.1"`},
		{"ListenAddrBadPort", map[string]string{"LISTEN_ADDR": "127.0.0.1:http"}, `LISTEN_ADDR: want HOST:PORT, e.g. 127.0.0.1:8080 or :8080, not "127.0.0.1:http"`},
		{"PortNotANumber", map[string]string{"PORT": "eighty"}, `PORT: want a port number (0 to 65535), not "eighty"`},
		{"LogLevel", map[string]string{"LOG_LEVEL": "verbose"}, `LOG_LEVEL: must be debug, info, warn or error, not "verbose"`},
		{"LogFormat", map[string]string{"LOG_FORMAT": "xml"}, `LOG_FORMAT: must be json or text, not "xml"`},
		{"JSONTooSmall", map[string]string{"JSON_MAX_BYTES": "1KiB"}, `JSON_MAX_BYTES: must be between 4KiB and 64MiB, not "1KiB"`},
		{"JSONNotASize", map[string]string{"JSON_MAX_BYTES": "lots"}, `JSON_MAX_BYTES: want a size such as 1048576, 512KiB or 20MiB, not "lots"`},
		{"UploadTooLarge", map[string]string{"UPLOAD_MAX_BYTES": "1GiB"}, `UPLOAD_MAX_BYTES: must be between 1MiB and 200MiB, not "1GiB"`},
		{"UploadOverflow", map[string]string{"UPLOAD_MAX_BYTES": "99999999999999999999G"}, `UPLOAD_MAX_BYTES: want a size such as 1048576, 512KiB or 20MiB, not "99999999999999999999G"`},
		{"AllowUnsafeBad", map[string]string{"ALLOW_UNSAFE_PRODUCTION": "perhaps"},
			`ALLOW_UNSAFE_PRODUCTION: strconv.ParseBool: parsing "perhaps": invalid syntax`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(func(k string) string { return tt.env[k] })
			if err == nil {
				t.Fatalf("Load() = nil error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Load() error\n got %q\nwant %q", err, tt.want)
			}
			if m := testenv.DoubledPrefix(err.Error()); m != "" {
				t.Errorf("doubled prefix %q in %q", m, err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows a password: %q", err)
			}
		})
	}
}

// TestConfigAccepts: the forms each URL setting documents.
func TestConfigAccepts(t *testing.T) {
	tests := []struct {
		name, key, value, backend string
	}{
		{"SQLiteURL", "DATABASE_URL", "sqlite:/srv/gram/gram.db", "sqlite"},
		{"SQLitePlainPath", "DATABASE_URL", "/srv/gram/gram.db", "sqlite"},
		{"SQLiteRelativePath", "DATABASE_URL", "./gram.db", "sqlite"},
		{"SQLiteFileURI", "DATABASE_URL", "file:gram.db", "sqlite"},
		{"WindowsPath", "DATABASE_URL", `C:\gram\gram.db`, "sqlite"},
		{"Postgres", "DATABASE_URL", "postgres://gram:pw@db:5432/gram?sslmode=require", "postgres"},
		{"PostgreSQL", "DATABASE_URL", "postgresql://gram@db/gram", "postgres"},
		{"PostgresSocket", "DATABASE_URL", "postgres:///gram?host=/var/run/postgresql", "postgres"},
		{"MediaFolder", "MEDIA_URL", "/srv/media", ""},
		{"MediaFileURL", "MEDIA_URL", "file:///srv/media", ""},
		{"MediaS3", "MEDIA_URL", "s3://bucket/media", ""},
		{"MailLog", "MAIL_URL", "log:/srv/outbox", ""},
		{"MailSMTP", "MAIL_URL", "smtp://u:p@mail.example.com:587?tls=required", ""},
		{"MailSMTPS", "MAIL_URL", "smtps://mail.example.com", ""},
		{"MailSES", "MAIL_URL", "ses:eu-west-1", ""},
		{"MailSESSlashes", "MAIL_URL", "ses://eu-west-1?configuration_set=gram", ""},
		{"RedisTLS", "REDIS_URL", "rediss://:pw@cache:6380/0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return map[string]string{tt.key: tt.value}[k] })
			if err != nil {
				t.Fatalf("Load(%s=%s) = %v", tt.key, tt.value, err)
			}
			if tt.backend == "" {
				return
			}
			if b, _ := DatabaseBackend(c.DatabaseURL); b != tt.backend {
				t.Errorf("backend %q, want %q", b, tt.backend)
			}
		})
	}
}
