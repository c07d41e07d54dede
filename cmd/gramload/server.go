package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/gram"
)

// server is the real API in this process, built as gramd builds it
// (internal/app), except: rate limits are off, mail goes nowhere, the
// access log is formatted but discarded, of the background work only the
// mail sender runs, and it listens on a free loopback port.
type server struct {
	base string
	app  *app.App
	srv  *http.Server
	stop func()
}

func startServer(ctx context.Context, dbURL, dataDir string, c *config) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	a, err := openApp(ctx, dbURL, dataDir, base, c)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s := &server{base: base, app: a, srv: a.HTTPServer(ln.Addr().String()), stop: app.Start(ctx, a.SendMail)}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// openApp builds the application on dbURL and dataDir, served at base.
func openApp(ctx context.Context, dbURL, dataDir, base string, c *config) (*app.App, error) {
	env := map[string]string{"DATABASE_URL": dbURL, "DATA_DIR": dataDir, "PUBLIC_URL": base, "JWT_SECRET": randomSecret(),
		"RATE_LIMIT_AUTH": "off", "RATE_LIMIT_WRITE": "off", "RATE_LIMIT_READ": "off",
		"RATE_LIMIT_LOGIN_FAILURES": "off", "RATE_LIMIT_RESET_MAIL": "off", "SQLITE_SYNCHRONOUS": c.synchronous}
	cfg, err := app.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	// Production logs every request as JSON; format it, then drop it.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	return app.New(ctx, cfg, app.Overrides{Log: log, Transport: discardMail{},
		Hasher: gram.NewHasher(gram.OWASPArgon2, c.hashSlots)})
}

// close shuts the server down and closes the store.
func (s *server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.stop()
	return errors.Join(err, s.app.Close())
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// discardMail accepts every message and delivers none.
type discardMail struct{}

func (discardMail) Send(context.Context, gram.Message) error { return nil }
