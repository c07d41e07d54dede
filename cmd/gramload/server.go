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
	"path/filepath"
	"sync"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/media"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/sqlstore"
)

// server is the real API in this process, wired as gramd wires it
// (serve.go), except: rate limits are off, mail goes nowhere, the access
// log is formatted but discarded, and it listens on a free loopback port.
type server struct {
	base  string
	store *sqlstore.Store
	srv   *http.Server
	stop  func()
}

func startServer(ctx context.Context, dbURL, dataDir string, hashSlots int) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	store, err := sqlstore.Open(ctx, dbURL, sqlstore.Options{})
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s, err := wire(ctx, store, dataDir, base, hashSlots)
	if err != nil {
		_ = ln.Close()
		_ = store.Close()
		return nil, err
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func wire(ctx context.Context, store *sqlstore.Store, dataDir, base string, hashSlots int) (*server, error) {
	// Production logs every request as JSON; format it, then drop it.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	blobs, err := blob.Open(ctx, blob.Config{URL: filepath.Join(dataDir, "media"), AppURL: base})
	if err != nil {
		return nil, err
	}
	templates, err := mail.NewTemplates(mail.Brand{})
	if err != nil {
		return nil, err
	}
	sender := &mail.Sender{Store: store, Transport: discardMail{}, Log: log}
	svc := gram.New(gram.Deps{Store: store, Blobs: blobs, Images: media.New(media.Config{}), Mail: templates,
		Hasher: gram.NewHasher(gram.OWASPArgon2, hashSlots), Log: log, MailQueued: sender.Wake}, gram.Config{})
	handler := api.NewServer(svc, api.Config{JWTSecrets: []string{randomSecret()}, Media: blob.Handler(blobs)},
		ratelimit.NewMemory(nil), log)
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { _ = sender.Run(bg) })
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	return &server{base: base, store: store, srv: srv, stop: func() { cancel(); wg.Wait() }}, nil
}

// close shuts the server down and closes the store.
func (s *server) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.stop()
	return errors.Join(err, s.store.Close())
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// discardMail accepts every message and delivers none.
type discardMail struct{}

func (discardMail) Send(context.Context, gram.Message) error { return nil }
