package redislimit

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// slogLogger passes go-redis's own log lines (connection pool and
// reconnection trouble, which it otherwise prints to stderr with the
// standard log package) to a slog.Logger, as warnings.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}

// SetLogger sends go-redis's log lines to log. go-redis has one logger
// per process, so the program sets it once, at start.
func SetLogger(log *slog.Logger) { redis.SetLogger(slogLogger{log}) }
