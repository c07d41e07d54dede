package gram

import (
	"context"
	"sync"
	"sync/atomic"
)

// Bounds of the work the service runs off the request path: how many jobs
// run at once, and how many may wait or run before new ones are refused.
const (
	offPathSlots      = 4
	offPathMaxPending = 1000
)

// offPath runs work after the request that asked for it has been
// answered, so that neither the answer nor its timing can tell what the
// work found. Starting a job costs the same whatever it will do, and never
// waits for other jobs: a request that waited for a free slot would take
// longer while costly jobs ran, which would let a client that floods the
// endpoint tell costly jobs from cheap ones.
type offPath struct {
	slots   chan struct{}
	pending atomic.Int64
	wg      sync.WaitGroup
}

func newOffPath() *offPath { return &offPath{slots: make(chan struct{}, offPathSlots)} }

// start runs fn in the background, with a context detached from ctx (its
// values, not its cancellation), once ctx's hold (HoldOffPath) is released
// and a slot is free. It returns false, and fn does not run, when
// offPathMaxPending jobs are pending already.
func (o *offPath) start(ctx context.Context, fn func(context.Context)) bool {
	if o.pending.Add(1) > offPathMaxPending {
		o.pending.Add(-1)
		return false
	}
	o.wg.Go(func() {
		defer o.pending.Add(-1)
		if held, ok := ctx.Value(holdKey{}).(chan struct{}); ok {
			<-held
		}
		o.slots <- struct{}{}
		defer func() { <-o.slots }()
		bg, cancel := detach(ctx)
		defer cancel()
		fn(bg)
	})
	return true
}

type holdKey struct{}

// HoldOffPath returns a context under which the work the service starts
// off the request path waits until release is called. A transport calls
// release once its answer is sent, so that the work does not compete with
// the answer for the CPU and its cost cannot show in the answer's timing.
// Without a hold the work starts at once. release must be called (defer
// it); calling it again does nothing.
func HoldOffPath(ctx context.Context) (held context.Context, release func()) {
	ch := make(chan struct{})
	var once sync.Once
	return context.WithValue(ctx, holdKey{}, ch), func() { once.Do(func() { close(ch) }) }
}

// Wait waits until the work the service runs off the request path (the
// lookup and reset mail of forgot-password) has finished. Call it after
// the HTTP server has shut down and before the store closes; tests call
// it before they look for the mail.
func (s *Service) Wait() { s.offPath.wg.Wait() }
