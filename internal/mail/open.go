package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// Options are the settings Open needs besides the URL.
type Options struct {
	From        string       // MAIL_FROM, e.g. "InstaMERN <no-reply@instamern.app>"
	OutboxDir   string       // folder for "log:" without a path, e.g. DATA_DIR/outbox
	SESEndpoint string       // SES_ENDPOINT: API endpoint override for "ses:"
	Logger      *slog.Logger // for Log; nil means slog.Default()
}

// DefaultFrom is the sender of the log transport when Options.From is empty.
const DefaultFrom = "InstaMERN <no-reply@localhost>"

// Open returns the transport that mailURL names:
//
//	"" or "log:"               Log into opts.OutboxDir (default "data/outbox")
//	"log:/path" or "log:dir"    Log into that folder
//	"smtp://user:pass@host:port?tls=opportunistic|required|none&helo=name"
//	                            SMTP, STARTTLS when offered (default port 587)
//	"smtps://user:pass@host:port"
//	                            SMTP over implicit TLS (default port 465)
//	"ses:region" or "ses://region?configuration_set=name&endpoint=URL"
//	                            Amazon SES v2 API in that region
//
// User and password in the URL must be percent-encoded (SES SMTP passwords
// hold '/' and '+'). Errors never repeat the URL, which may hold them.
func Open(mailURL string, opts Options) (gram.Mailer, error) {
	if err := CheckURL(mailURL); err != nil {
		return nil, fmt.Errorf("mail: MAIL_URL: %w", err)
	}
	_, rest, _ := strings.Cut(mailURL, ":")
	switch Transport(mailURL) {
	case "log":
		return openLog(rest, opts)
	case "ses":
		if err := CheckFrom(opts.From); err != nil {
			return nil, fmt.Errorf("mail: MAIL_FROM: %w", err)
		}
		u, _ := url.Parse(mailURL) // CheckURL parsed it
		return openSES(u, opts)
	}
	if err := CheckFrom(opts.From); err != nil {
		return nil, fmt.Errorf("mail: MAIL_FROM: %w", err)
	}
	u, _ := url.Parse(mailURL)
	return openSMTP(u, opts)
}

func openLog(dir string, opts Options) (gram.Mailer, error) {
	dir = strings.TrimPrefix(dir, "//")
	if dir == "" {
		dir = opts.OutboxDir
	}
	if dir == "" {
		dir = filepath.Join("data", "outbox")
	}
	from := opts.From
	if from == "" {
		from = DefaultFrom
	}
	if err := CheckFrom(from); err != nil {
		return nil, fmt.Errorf("mail: MAIL_FROM: %w", err)
	}
	return &Log{Dir: dir, From: from, Logger: opts.Logger}, nil
}

func openSMTP(u *url.URL, opts Options) (gram.Mailer, error) {
	s := &SMTP{From: opts.From, Helo: u.Query().Get("helo")}
	port := "587"
	s.TLS = u.Query().Get("tls")
	if u.Scheme == "smtps" {
		port, s.TLS = "465", TLSImplicit
	}
	if u.Port() != "" {
		port = u.Port()
	}
	s.Addr = net.JoinHostPort(u.Hostname(), port)
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

func openSES(u *url.URL, opts Options) (gram.Mailer, error) {
	q := u.Query()
	endpoint := opts.SESEndpoint
	if e := q.Get("endpoint"); e != "" {
		endpoint = e
	}
	return NewSES(context.Background(), SESConfig{
		Region:           u.Host + u.Opaque, // "ses://region" or "ses:region"
		Endpoint:         endpoint,
		ConfigurationSet: q.Get("configuration_set"),
		From:             opts.From,
	})
}
