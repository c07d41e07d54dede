package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/metrics"
)

// backlogTimeout bounds the store query of a scrape: a scrape during a
// database outage goes without the backlog rather than hanging.
const backlogTimeout = 2 * time.Second

// openMetrics, when METRICS_ADDR is set, listens there (so that a busy
// port stops the start, as the public one does) and hooks the metrics
// into what wire builds: deps' hasher (unless Overrides gave it, which
// stays untouched) and image pipeline, the store's pools and backlog, and
// the HTTP API (apiConfig). ServeMetrics serves the listener.
func (a *App) openMetrics(deps *gram.Deps, ov Overrides) error {
	if a.Config.MetricsAddr == "" {
		return nil
	}
	now := ov.Clock
	if now == nil {
		now = time.Now
	}
	m := metrics.New()
	if err := m.WatchPools(a.Store.Pools()); err != nil {
		return err
	}
	if err := m.WatchBacklog(a.Store, backlogTimeout, now); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.MetricsAddr)
	if err != nil {
		return err
	}
	a.onClose(func() error { _ = ln.Close(); return nil }) // closed already, once served
	a.metrics, a.metricsLn = m, ln
	if ov.Hasher == nil {
		deps.Hasher.Waited = m.HashWaited
	}
	deps.Images = m.Images(deps.Images)
	return nil
}

// ServeMetrics serves GET /metrics on METRICS_ADDR until ctx ends.
func (a *App) ServeMetrics(ctx context.Context) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	a.log.Info("metrics listening", "addr", a.metricsLn.Addr().String())
	if err := srv.Serve(a.metricsLn); !errors.Is(err, http.ErrServerClosed) {
		a.log.Error("metrics server", "err", err)
	}
}
