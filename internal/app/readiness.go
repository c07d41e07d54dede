package app

import (
	"context"
	"sync"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

// checker is a dependency that can tell whether it answers: the S3 media
// store (HeadBucket), the SMTP transport (EHLO, NOOP, QUIT) and the Redis
// limiter (PING). The folder stores, the log and SES transports have no
// such check and get no entry in /readyz.
type checker interface {
	Check(ctx context.Context) error
}

// Readiness timeouts. The mail check runs in the background (a Runner):
// /readyz reads its last result at once, so that neither a slow relay nor
// a load balancer probing every few seconds (each probe would open an SMTP
// session, with AUTH, on the relay) sees the other.
const (
	mediaCheckTimeout = 2 * time.Second // HeadBucket with the SDK's retries
	mailCheckTimeout  = 5 * time.Second // dial, TLS, AUTH, NOOP
	mailCheckEvery    = 30 * time.Second
	mailRecheckEvery  = 5 * time.Second // after a failure
)

// readinessChecks are the dependencies /readyz checks besides the
// database, and the background check of mail, if any (nil otherwise),
// which must run (Runners) for its entry to pass. The media store is
// required: uploads and, with proxy or presigned delivery, every image
// need it. Redis is not (the limits are counted in process meanwhile),
// nor is mail (the outbox keeps it until the transport is back).
func readinessChecks(blobs gram.BlobStore, transport gram.Mailer, limiter ratelimit.Limiter, redisURL string) ([]api.Check, *backgroundCheck) {
	var cs []api.Check
	if c, ok := blobs.(checker); ok {
		cs = append(cs, api.Check{Name: "media", Required: true, Timeout: mediaCheckTimeout, Run: c.Check})
	}
	if c, ok := limiter.(checker); ok && redisURL != "" {
		cs = append(cs, api.Check{Name: "redis", Run: c.Check})
	}
	var mail *backgroundCheck
	if c, ok := transport.(checker); ok {
		mail = &backgroundCheck{check: c.Check, timeout: mailCheckTimeout, every: mailCheckEvery, retry: mailRecheckEvery}
		cs = append(cs, api.Check{Name: "mail", Run: mail.Last})
	}
	return cs, mail
}

// backgroundCheck runs check every so often (Run) and answers with its
// last result (Last).
type backgroundCheck struct {
	check                 func(context.Context) error
	timeout, every, retry time.Duration

	mu      sync.Mutex
	last    error
	checked bool
}

// Run checks at once, then every interval (retry after a failure),
// until ctx ends.
func (b *backgroundCheck) Run(ctx context.Context) {
	for {
		cctx, cancel := context.WithTimeout(ctx, b.timeout)
		err := b.check(cctx)
		cancel()
		b.mu.Lock()
		b.last, b.checked = err, true
		b.mu.Unlock()
		wait := b.every
		if err != nil {
			wait = b.retry
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Last is the result of the latest check, api.ErrNotChecked before the
// first has ended.
func (b *backgroundCheck) Last(context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.checked {
		return api.ErrNotChecked
	}
	return b.last
}
