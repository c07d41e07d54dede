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
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/app"
)

// serve builds the application, serves until ctx ends, then drains
// in-flight requests and background work.
func serve(ctx context.Context, cfg app.Config, stdout io.Writer) error {
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	for _, w := range cfg.Warnings() {
		log.Warn("config: " + w)
	}
	a, err := app.New(ctx, cfg, app.Overrides{Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	stop := app.Start(ctx, a.Runners()...)
	err = listenAndServe(ctx, cfg, a.HTTPServer(cfg.Addr), log)
	stop()
	return err
}

// listenAndServe serves until ctx ends, then shuts down gracefully,
// giving in-flight requests up to 20 seconds. With TLS_CERT_FILE and
// TLS_KEY_FILE it serves HTTPS (TLS 1.2 or newer, HTTP/2) itself.
func listenAndServe(ctx context.Context, cfg app.Config, srv *http.Server, log *slog.Logger) error {
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
		errc <- srv.Serve(api.Listener(ln)) // net/http's own refusals in the JSON envelope too
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
