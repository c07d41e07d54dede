package mail_test

import (
	"strings"
	"testing"

	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/testenv"
)

func TestOpen(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-central-1")
	opts := mail.Options{From: "InstaMERN <no-reply@instamern.app>", OutboxDir: "/srv/data/outbox", SESEndpoint: "http://127.0.0.1:8005"}
	tests := []struct {
		url   string
		check func(t *testing.T, m any)
	}{
		{"", wantLog("/srv/data/outbox")},
		{"log:", wantLog("/srv/data/outbox")},
		{"log:/tmp/mails", wantLog("/tmp/mails")},
		{"log:rel/dir", wantLog("rel/dir")},
		{"smtp://127.0.0.1:1025", wantSMTP("127.0.0.1:1025", "", "", "", "")},
		{"smtp://mail.example.com", wantSMTP("mail.example.com:587", "", "", "", "")},
		{"smtp://AKIA:se%2Fcr%2Bet@email-smtp.eu-west-1.amazonaws.com:587?tls=required", wantSMTP("email-smtp.eu-west-1.amazonaws.com:587", mail.TLSRequired, "AKIA", "se/cr+et", "")},
		{"smtp://relay:25?tls=none&helo=gram.example.com", wantSMTP("relay:25", mail.TLSNone, "", "", "gram.example.com")},
		{"smtps://u:p@smtp.example.com", wantSMTP("smtp.example.com:465", mail.TLSImplicit, "u", "p", "")},
		{"SMTPS://u:p@smtp.example.com:2465", wantSMTP("smtp.example.com:2465", mail.TLSImplicit, "u", "p", "")},
		{"ses://eu-west-1", wantSES("")},
		{"ses:us-east-1?configuration_set=gram", wantSES("gram")},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			m, err := mail.Open(tt.url, opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, m)
		})
	}
}

func wantLog(dir string) func(*testing.T, any) {
	return func(t *testing.T, m any) {
		l, ok := m.(*mail.Log)
		if !ok || l.Dir != dir || l.From == "" {
			t.Errorf("got %#v, want Log into %s", m, dir)
		}
	}
}

func wantSMTP(addr, tls, user, pass, helo string) func(*testing.T, any) {
	return func(t *testing.T, m any) {
		s, ok := m.(*mail.SMTP)
		if !ok {
			t.Fatalf("got %T, want *mail.SMTP", m)
		}
		if s.Addr != addr || s.TLS != tls || s.Username != user || s.Password != pass || s.Helo != helo || s.From == "" {
			t.Errorf("got %+v", *s)
		}
	}
}

func wantSES(configSet string) func(*testing.T, any) {
	return func(t *testing.T, m any) {
		s, ok := m.(*mail.SES)
		if !ok || s.ConfigurationSet != configSet || s.Client == nil {
			t.Errorf("got %#v", m)
		}
	}
}

func TestOpen_Errors(t *testing.T) {
	good := mail.Options{From: "no-reply@instamern.app"}
	tests := []struct {
		name, url string
		opts      mail.Options
		want      string // the start of the error
	}{
		{"UnknownScheme", "sendmail:", good, `mail: MAIL_URL: unknown scheme "sendmail"`},
		{"NoScheme", "/var/mail", good, "mail: MAIL_URL: has no scheme"},
		{"NoColon", "smtp//host", good, "mail: MAIL_URL: has no scheme (is a ':' missing?)"},
		{"SMTPNoFrom", "smtp://127.0.0.1:1025", mail.Options{}, "mail: MAIL_FROM: bad from address"},
		{"SESNoFrom", "ses:eu-west-1", mail.Options{}, "mail: MAIL_FROM: bad from address"},
		{"SESNoRegion", "ses:", good, "mail: MAIL_URL: ses needs a region"},
		{"BadFrom", "log:", mail.Options{From: "not an address"}, "mail: MAIL_FROM: bad from address"},
		{"SMTPNoHost", "smtp://:25", good, "mail: MAIL_URL: smtp needs a host"},
		{"BadTLSMode", "smtp://h:25?tls=maybe", good, `mail: MAIL_URL: unknown tls mode "maybe"`},
		{"BadURLKeepsSecret", "smtp://user:hunter2@host:badport", good, "mail: MAIL_URL: is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.Open(tt.url, tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the password: %v", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q, want it to start %q", err, tt.want)
			}
			if p := testenv.DoubledPrefix(err.Error()); p != "" {
				t.Errorf("error %q repeats %q", err, p)
			}
		})
	}
}
