package app

import (
	"log/slog"
	"net/http"
	"time"
)

// HTTPServer returns the server of a.Handler on addr. Its timeouts bound
// what a slow or idle client holds (a header in 10 seconds, a request or
// response in 2 minutes, which a 20 MiB upload fits, or longer than
// UPLOAD_TIMEOUT, so that the 503 of a request past its deadline is still
// written) and its errors are logged as warnings.
func (a *App) HTTPServer(addr string) *http.Server {
	transfer := max(2*time.Minute, a.Config.Timeouts.Upload+10*time.Second)
	return &http.Server{Addr: addr, Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: transfer,
		WriteTimeout: transfer, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
}

// Drain makes /readyz fail (503, draining) while the server goes on
// serving: the first step of a replica's graceful stop (see DrainEnv).
func (a *App) Drain() {
	if a.api != nil {
		a.api.Drain()
	}
}
