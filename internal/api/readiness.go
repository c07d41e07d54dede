package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A Check is a dependency that /readyz checks (Config.Checks). The
// database is always checked (required, DefaultCheckTimeout).
type Check struct {
	Name string // its entry in the detail: "redis", "media", "mail"
	// Required makes its failure a 503: the server cannot do its work
	// without it. A dependency the server can do without for a while (a
	// fallback, a queue) is reported but leaves the server ready.
	Required bool
	Timeout  time.Duration // default DefaultCheckTimeout
	// Run returns nil when the dependency answers as it should. Its error
	// is logged; the detail shows only a reason without addresses or
	// credentials (reason).
	Run func(ctx context.Context) error
}

// ErrNotChecked is the error of a check whose first result is not in yet
// (one run in the background).
var ErrNotChecked = errors.New("not checked yet")

// DefaultCheckTimeout bounds a check, so that a load balancer hears of a
// stalled dependency at once rather than timing out itself.
const DefaultCheckTimeout = time.Second

// checkView is one check's entry in the detail of /readyz.
type checkView struct {
	Name       string  `json:"name"`
	OK         bool    `json:"ok"`
	Required   bool    `json:"required"`
	DurationMS float64 `json:"durationMs"`
	Error      string  `json:"error,omitempty"`
}

// runChecks runs the database check and Config.Checks at once, each with
// its own timeout, and returns their entries in that order and the name
// of the first required one that failed ("" when none did).
func (s *Server) runChecks(r *http.Request) (views []checkView, failed string) {
	checks := append([]Check{{Name: "database", Required: true, Run: s.svc.Ping}}, s.cfg.Checks...)
	views = make([]checkView, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { views[i] = s.runCheck(r, c) })
	}
	wg.Wait()
	for _, v := range views {
		if !v.OK && v.Required && failed == "" {
			failed = v.Name
		}
	}
	return views, failed
}

func (s *Server) runCheck(r *http.Request, c Check) checkView {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	start := time.Now()
	err := c.Run(ctx)
	v := checkView{Name: c.Name, OK: err == nil, Required: c.Required, DurationMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", err, ctx.Err())
		}
		v.Error = reason(err, timeout)
		s.log.WarnContext(r.Context(), "readyz: check failed", "check", c.Name, "err", err)
	}
	return v
}

// reason says why a check failed in words safe for anyone to read: the
// error itself may name hosts, users or buckets.
func reason(err error, timeout time.Duration) string {
	var (
		tp   *textproto.Error
		dns  *net.DNSError
		op   *net.OpError
		code interface{ ErrorCode() string } // AWS API errors
	)
	switch {
	case errors.Is(err, ErrNotChecked):
		return "not checked yet"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %s", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dns):
		return "host not found"
	case errors.As(err, &tp):
		return fmt.Sprintf("the server answered %d", tp.Code)
	case errors.As(err, &code):
		return "the server answered " + code.ErrorCode()
	case errors.As(err, &op), strings.Contains(err.Error(), "EOF"), errors.Is(err, syscall.ECONNRESET):
		return "connection lost"
	}
	return "check failed (see the server log)"
}
