package mail

import (
	"context"
	"errors"
	"sync"

	"github.com/instamern/gram/internal/gram"
)

// ErrRecorderFail is what a Recorder returns while it is told to fail.
var ErrRecorderFail = errors.New("mail: recorder: simulated failure")

// Recorder is a gram.Mailer for tests: it records the messages it is
// given instead of sending them. It is safe for concurrent use; the zero
// value is ready.
type Recorder struct {
	mu       sync.Mutex
	sent     []gram.Message
	attempts int
	failures int
}

var _ gram.Mailer = (*Recorder)(nil)

// FailNext makes the next n calls to Send fail with ErrRecorderFail
// without recording anything.
func (r *Recorder) FailNext(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = n
}

// Send records m. It fails with ctx's error if ctx is done, and with
// ErrRecorderFail while told to fail.
func (r *Recorder) Send(ctx context.Context, m gram.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.failures > 0 {
		r.failures--
		return ErrRecorderFail
	}
	r.sent = append(r.sent, m)
	return nil
}

// Sent returns a copy of the messages recorded so far, in order.
func (r *Recorder) Sent() []gram.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]gram.Message(nil), r.sent...)
}

// Attempts returns how many times Send was called with a live context,
// failed calls included.
func (r *Recorder) Attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// Reset forgets the recorded messages, attempts and pending failures.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent, r.attempts, r.failures = nil, 0, 0
}
