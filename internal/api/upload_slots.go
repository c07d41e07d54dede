package api

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// UploadLimits bound the photo uploads in flight. Each holds a temp file
// (its photo, up to MaxUpload) from the moment its body is read until its
// response, and meanwhile a share of the image pipeline's memory budget.
// Zero fields take the defaults.
type UploadLimits struct {
	MaxConcurrent int    // uploads in flight in total; default 16
	PerAccount    int    // uploads in flight by one user; default 2
	TempDir       string // where photos are spooled; default os.TempDir()
	// QueueWait is how long an upload over MaxConcurrent waits for a turn
	// before it is refused as busy (503); default 10 s. It waits before
	// its body is read, so it holds no memory meanwhile.
	QueueWait time.Duration
	// AccountWait is the same for an upload over PerAccount, refused as
	// too many (429); default 1 s.
	AccountWait time.Duration
}

func (l UploadLimits) withDefaults() UploadLimits {
	l.MaxConcurrent = positiveOr(l.MaxConcurrent, 16)
	l.PerAccount = positiveOr(l.PerAccount, 2)
	l.QueueWait = positiveOr(l.QueueWait, 10*time.Second)
	l.AccountWait = positiveOr(l.AccountWait, time.Second)
	if l.TempDir == "" {
		l.TempDir = os.TempDir()
	}
	return l
}

// positiveOr is v when positive, else def.
func positiveOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Retry-After of the refusals: about what one large photo takes.
const (
	accountRetry = 2 * time.Second
	busyRetry    = 5 * time.Second
)

func errUploadsBusy() error {
	return &gram.Error{Code: gram.EUNAVAILABLE, RetryAfter: busyRetry,
		Message: "The server is busy processing photos. Please try again shortly."}
}

func errTooManyUploads(n int) error {
	return &gram.Error{Code: gram.ERATELIMIT, RetryAfter: accountRetry,
		Message: fmt.Sprintf("You already have %d uploads in progress. Please wait for one to finish, then try again.", n)}
}

// uploadSlots counts the uploads in flight, in total and per user.
type uploadSlots struct {
	lim   UploadLimits
	total chan struct{}
	mu    sync.Mutex
	users map[string]*userSlots
}

// userSlots are one user's slots, shared by the requests that use or
// wait for them; the last one out removes them.
type userSlots struct {
	ch   chan struct{}
	refs int
}

func newUploadSlots(lim UploadLimits) *uploadSlots {
	return &uploadSlots{lim: lim, total: make(chan struct{}, lim.MaxConcurrent), users: map[string]*userSlots{}}
}

// acquire takes one of userID's slots, then one of the total, waiting at
// most AccountWait and QueueWait. It returns ctx's error when ctx ends
// first, else a refusal with a Retry-After.
func (u *uploadSlots) acquire(ctx context.Context, userID string) (release func(), err error) {
	us := u.user(userID)
	if err := take(ctx, us.ch, u.lim.AccountWait); err != nil {
		u.drop(userID, us)
		return nil, orRefusal(err, errTooManyUploads(u.lim.PerAccount))
	}
	if err := take(ctx, u.total, u.lim.QueueWait); err != nil {
		<-us.ch
		u.drop(userID, us)
		return nil, orRefusal(err, errUploadsBusy())
	}
	return func() {
		<-u.total
		<-us.ch
		u.drop(userID, us)
	}, nil
}

func (u *uploadSlots) user(id string) *userSlots {
	u.mu.Lock()
	defer u.mu.Unlock()
	us := u.users[id]
	if us == nil {
		us = &userSlots{ch: make(chan struct{}, u.lim.PerAccount)}
		u.users[id] = us
	}
	us.refs++
	return us
}

func (u *uploadSlots) drop(id string, us *userSlots) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if us.refs--; us.refs == 0 {
		delete(u.users, id)
	}
}

// take puts a token in ch, waiting at most wait; it returns ctx's error
// when ctx ends first, and errWaited when the wait does.
func take(ctx context.Context, ch chan struct{}, wait time.Duration) error {
	select {
	case ch <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errWaited
	}
}

// errWaited is take's "no slot in time", which callers replace by their
// refusal (orRefusal).
var errWaited = errors.New("api: no upload slot in time")

func orRefusal(err, refusal error) error {
	if err == errWaited {
		return refusal
	}
	return err
}
