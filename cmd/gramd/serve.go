package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/media"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
	"github.com/instamern/gram/internal/sqlstore"
)

// serve wires the adapters around the service, serves until ctx ends, then
// drains in-flight requests and background work.
func serve(ctx context.Context, cfg Config, stdout io.Writer) error {
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	for _, w := range cfg.warnings() {
		log.Warn("config: " + w)
	}
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL, sqlstore.Options{MaxOpenConns: cfg.DBMaxConns})
	if err != nil {
		return err
	}
	defer store.Close()
	blobs, err := blob.Open(ctx, blob.Config{URL: cfg.MediaURL, AppURL: cfg.PublicURL, Endpoint: cfg.S3.Endpoint,
		Region: cfg.S3.Region, ForcePathStyle: cfg.S3.ForcePathStyle, Delivery: cfg.S3.Delivery,
		PublicURL: cfg.S3.PublicURL, PresignTTL: cfg.S3.PresignTTL})
	if err != nil {
		return fmt.Errorf("media store: %w", err)
	}
	templates, err := mail.NewTemplates(mail.Brand{ClientURL: cfg.ClientURL})
	if err != nil {
		return err
	}
	transport, err := mail.Open(cfg.MailURL, mail.Options{From: cfg.MailFrom, SESEndpoint: cfg.SESEndpoint, Logger: log})
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	sender := &mail.Sender{Store: store, Transport: transport, Log: log, MaxAttempts: cfg.MailAttempts,
		Backoff: mail.ExpBackoff(cfg.MailRetryMin, time.Hour)}
	deps := gram.Deps{Store: store, Blobs: blobs, Images: media.New(media.Config{}), Mail: templates,
		Hasher: gram.NewHasher(gram.OWASPArgon2, 0), Log: log, MailQueued: sender.Wake}
	if cfg.CheckDomain {
		deps.Domains = &mail.DomainCheck{}
	}
	svc := gram.New(deps, gram.Config{ClientURL: cfg.ClientURL, PublicURL: cfg.PublicURL, SessionTTL: cfg.JWTExpiresIn})
	limiter, closeLimiter, err := redislimit.Open(ctx, cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	defer closeLimiter()
	handler := api.NewServer(svc, api.Config{
		Production: cfg.Production(), TLS: cfg.TLSCertFile != "", CORSOrigins: cfg.CORSOrigins, JWTSecrets: cfg.JWTSecrets,
		AuthLimit: cfg.Limits.Auth, WriteLimit: cfg.Limits.Write, ReadLimit: cfg.Limits.Read, LoginFails: cfg.Limits.LoginFails,
		ResetMails:     cfg.Limits.ResetMails,
		TrustedProxies: cfg.Limits.TrustedProxies, ForwardedHeader: cfg.Limits.ForwardedHeader, Media: blob.Handler(blobs),
		SNSTopicARN: cfg.SNSTopicARN,
	}, limiter, log)
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	done := runBackground(bg, svc, sender, blobs, log)
	err = listenAndServe(ctx, cfg, handler, log)
	stopBG()
	<-done
	return err
}

// runBackground starts the outbox sender and the story and media
// sweepers; the returned channel closes when all have stopped.
func runBackground(ctx context.Context, svc *gram.Service, sender *mail.Sender, blobs gram.BlobStore, log *slog.Logger) <-chan struct{} {
	var wg sync.WaitGroup
	wg.Go(func() { _ = sender.Run(ctx) })
	wg.Go(func() { sweepStories(ctx, svc, log) })
	wg.Go(func() { sweepMedia(ctx, svc, blobs, log) })
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}

// sweepStories deletes expired stories and their media every ten minutes.
func sweepStories(ctx context.Context, svc *gram.Service, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := svc.SweepStories(ctx, 500); err != nil && ctx.Err() == nil {
			log.Error("sweep stories", "err", err)
		} else if n > 0 {
			log.Info("swept expired stories", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// mediaGrace protects uploads in flight (object written, row not yet)
// from the orphan sweep.
const mediaGrace = 24 * time.Hour

// sweepMedia deletes media objects that no row references (left by a
// crash between upload and insert, or a failed delete), every six hours.
func sweepMedia(ctx context.Context, svc *gram.Service, blobs gram.BlobStore, log *slog.Logger) {
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		referenced := func(key string) (bool, error) { return svc.MediaReferenced(ctx, key) }
		n, err := blob.Sweep(ctx, blobs, "users/", time.Now().Add(-mediaGrace), referenced)
		if err != nil && ctx.Err() == nil {
			log.Error("sweep media", "err", err)
		}
		if n > 0 {
			log.Info("swept orphaned media", "count", n)
		}
	}
}

// listenAndServe serves until ctx ends, then shuts down gracefully,
// giving in-flight requests up to 20 seconds. With TLS_CERT_FILE and
// TLS_KEY_FILE it serves HTTPS (TLS 1.2 or newer, HTTP/2) itself.
func listenAndServe(ctx context.Context, cfg Config, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Addr: cfg.Addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	tlsOn := cfg.TLSCertFile != ""
	if tlsOn {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
		if err != nil {
			return fmt.Errorf("TLS_CERT_FILE/TLS_KEY_FILE: %w", err)
		}
		// Go's defaults are the modern ones (AEAD cipher suites with
		// forward secrecy, X25519); only the floor is raised. ServeTLS adds
		// HTTP/2 to the offered protocols.
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "tls", tlsOn)
	errc := make(chan error, 1)
	go func() {
		if tlsOn {
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
