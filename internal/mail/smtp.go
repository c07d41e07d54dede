package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// TLS modes of an SMTP transport.
const (
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it (smtp:// default)
	TLSRequired      = "required"      // STARTTLS or fail
	TLSNone          = "none"          // plain text, for local relays and test servers
	TLSImplicit      = "implicit"      // TLS from the first byte (smtps://)
)

// DefaultSMTPTimeout bounds one delivery when ctx has no deadline.
const DefaultSMTPTimeout = 30 * time.Second

// SMTP is a gram.Mailer that hands each message to an SMTP server over a
// fresh connection. It is safe for concurrent use. Build it with Open from
// an smtp:// or smtps:// URL, or fill the fields.
type SMTP struct {
	Addr     string // host:port
	TLS      string // one of the TLS* modes; "" means TLSOpportunistic
	Username string // AUTH (PLAIN, else LOGIN) when set
	Password string
	From     string // sender, as for Build; its address is the envelope sender
	Helo     string // name sent with EHLO; "" means "localhost"
	// TLSConfig, if set, is used for STARTTLS and implicit TLS (tests,
	// private CAs). ServerName defaults to the host of Addr.
	TLSConfig *tls.Config
	Now       func() time.Time
}

var _ gram.Mailer = (*SMTP)(nil)

// Send implements gram.Mailer. ctx bounds the whole exchange: dial, TLS,
// and every read and write; without a deadline DefaultSMTPTimeout applies.
func (s *SMTP) Send(ctx context.Context, m gram.Message) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	raw, err := Build(s.From, m, now())
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultSMTPTimeout)
		defer cancel()
	}
	if err := s.send(ctx, m.To, raw); err != nil {
		if ctx.Err() != nil {
			// The I/O error after a forced deadline says less than this.
			return fmt.Errorf("mail: smtp %s: %w", s.Addr, ctx.Err())
		}
		return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
	}
	return nil
}

func (s *SMTP) send(ctx context.Context, to string, raw []byte) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.hello(c); err != nil {
		return err
	}
	if err := s.deliver(c, to, raw); err != nil {
		return err
	}
	return c.Quit()
}

// dial connects and wraps the connection so that ctx's deadline and
// cancellation interrupt any blocked read or write.
func (s *SMTP) dial(ctx context.Context) (*smtp.Client, error) {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return nil, err
	}
	deadline, _ := ctx.Deadline()
	_ = raw.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Unix(1, 0)) })
	var conn net.Conn = &stopConn{Conn: raw, stop: stop}
	if s.TLS == TLSImplicit {
		// Outermost, so that net/smtp sees a *tls.Conn and allows AUTH.
		tc := tls.Client(conn, s.tlsConfig(host))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// stopConn releases the ctx hook when the connection is closed.
type stopConn struct {
	net.Conn
	stop func() bool
}

func (c *stopConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

func (s *SMTP) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		cfg = s.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	return cfg
}

// hello sends EHLO, upgrades to TLS as the mode says, and authenticates.
func (s *SMTP) hello(c *smtp.Client) error {
	helo := s.Helo
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	starttls, _ := c.Extension("STARTTLS")
	switch {
	case s.TLS == TLSRequired && !starttls:
		return errors.New("server does not offer STARTTLS")
	case starttls && (s.TLS == "" || s.TLS == TLSOpportunistic || s.TLS == TLSRequired):
		if err := c.StartTLS(s.tlsConfig(host)); err != nil {
			return err
		}
	}
	if s.Username == "" {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errors.New("credentials given but the server does not offer AUTH")
	}
	return c.Auth(s.auth(c, host))
}

// auth prefers PLAIN and falls back to LOGIN, which some relays (older
// Exchange, some hosting providers) offer alone. Both refuse to send the
// password over an unencrypted connection to a host other than localhost.
func (s *SMTP) auth(c *smtp.Client, host string) smtp.Auth {
	_, mechs := c.Extension("AUTH")
	if !containsWord(mechs, "PLAIN") && containsWord(mechs, "LOGIN") {
		return &loginAuth{username: s.Username, password: s.Password, host: host}
	}
	return smtp.PlainAuth("", s.Username, s.Password, host)
}

func (s *SMTP) deliver(c *smtp.Client, to string, raw []byte) error {
	from, err := parseAddress("from", s.From)
	if err != nil {
		return err
	}
	rcpt, err := parseAddress("to", to)
	if err != nil {
		return err
	}
	if err := c.Mail(from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt.Address); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
