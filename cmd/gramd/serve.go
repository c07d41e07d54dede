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
	"github.com/instamern/gram/internal/ratelimit/redislimit"
)

// serve builds the application, serves until ctx ends, then drains: it
// fails /readyz and goes on serving for DRAIN_DELAY, stops taking
// connections and waits up to SHUTDOWN_TIMEOUT for the requests in
// flight, and last stops the background work, whose claims (mail, media
// deletions, sweeps) are released for another replica to take at once.
func serve(ctx context.Context, cfg app.Config, stdout io.Writer) error {
	log := cfg.Logger(stdout)
	redislimit.SetLogger(log)
	for _, w := range cfg.Warnings() {
		log.Warn("config: " + w)
	}
	a, err := app.New(ctx, cfg, app.Overrides{Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	log.LogAttrs(ctx, slog.LevelInfo, "gramd starting", cfg.Summary()...)
	stop := app.Start(ctx, a.Runners()...)
	err = listenAndServe(ctx, cfg, a.HTTPServer(cfg.Addr), log, a.Drain)
	stop()
	log.Info("stopped", "detail", "background work stopped and its claims released")
	return err
}

// listenAndServe serves until ctx ends, then calls drain and goes on
// serving for cfg.Drain.Delay, then shuts down gracefully, giving
// in-flight requests up to cfg.Drain.Shutdown. With TLS_CERT_FILE and
// TLS_KEY_FILE it serves HTTPS (TLS 1.2 or newer, HTTP/2) itself.
func listenAndServe(ctx context.Context, cfg app.Config, srv *http.Server, log *slog.Logger, drain func()) error {
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
	drain()
	log.Info("draining", "detail", "/readyz fails, requests are still served", "delay", cfg.Drain.Delay.String())
	select {
	case err := <-errc:
		return err
	case <-time.After(cfg.Drain.Delay):
	}
	log.Info("shutting down", "detail", "no new connections; waiting for the requests in flight", "timeout", cfg.Drain.Shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Drain.Shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return errors.Join(fmt.Errorf("shutdown: requests still in flight after SHUTDOWN_TIMEOUT: %w", err), srv.Close())
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
