package redislimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
)

// Options say where a server counts its rate limits.
type Options struct {
	URL     string        // Redis (redis://host:port/db); empty: in process
	Timeout time.Duration // per call to Redis (ratelimit.FailoverOptions.Timeout)
	Log     *slog.Logger  // the fallback's transitions
}

// Open returns the limiter of a server: in process when opt.URL is empty,
// else in Redis (keys prefixed "gram:") so that limits hold across
// replicas, behind a ratelimit.Failover that counts in process while
// Redis does not answer. A Redis that does not answer at start is such an
// outage, not an error: the server starts, counting in process. Only a
// malformed URL is an error. close releases the limiter.
func Open(ctx context.Context, opt Options) (l ratelimit.Limiter, close func(), err error) {
	if opt.URL == "" {
		return ratelimit.NewMemory(nil), func() {}, nil
	}
	r, err := dial(opt.URL, "gram:", nil)
	if err != nil {
		return nil, nil, err
	}
	f := ratelimit.NewFailover(r, ratelimit.NewMemory(nil), ratelimit.FailoverOptions{Timeout: opt.Timeout, Log: opt.Log})
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := r.client.Ping(pctx).Err(); err != nil {
		f.Trip(err)
	}
	return f, func() { _ = r.Close() }, nil
}
