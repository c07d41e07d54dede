package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/gram"
)

// server is the real API in this process on SQLite in dir, with rate
// limits off, no background work (mail stays in the outbox) and cheap
// password hashing, listening on a free loopback port. Uploads spool to
// tempDir unless UPLOAD_TEMP_DIR says otherwise.
type server struct {
	base, tempDir string
	app           *app.App
	srv           *http.Server
}

func startServer(ctx context.Context, dir string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + ln.Addr().String(), tempDir: filepath.Join(dir, "uploads")}
	env := map[string]string{"DATA_DIR": dir, "PUBLIC_URL": s.base, "UPLOAD_TEMP_DIR": s.tempDir,
		"RATE_LIMIT_AUTH": "off", "RATE_LIMIT_WRITE": "off", "RATE_LIMIT_READ": "off",
		"RATE_LIMIT_LOGIN_FAILURES": "off", "RATE_LIMIT_RESET_MAIL": "off"}
	if v := os.Getenv("UPLOAD_TEMP_DIR"); v != "" {
		s.tempDir = v
	}
	cfg, err := app.Load(func(k string) string {
		if v := os.Getenv(k); v != "" && strings.HasPrefix(k, "UPLOAD_") {
			return v
		}
		return env[k]
	})
	if err == nil {
		s.app, err = app.New(ctx, cfg, app.Overrides{Log: slog.New(slog.DiscardHandler),
			Hasher: gram.NewHasher(gram.Argon2Params{Memory: 1024, Time: 1, Threads: 1}, 0)})
	}
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s.srv = s.app.HTTPServer(ln.Addr().String())
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(s.srv.Shutdown(ctx), s.app.Close())
}

// countFiles is how many entries dir holds (0 when it does not exist).
func countFiles(dir string) int {
	entries, _ := os.ReadDir(dir)
	return len(entries)
}
