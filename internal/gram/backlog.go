package gram

import (
	"context"
	"time"
)

// Backlog is the work the store holds for the background workers: mail
// not yet delivered and media not yet removed. It is for monitoring: a
// backlog that grows means a worker cannot keep up or its transport is
// down.
type Backlog struct {
	// MailPending counts the outbox messages neither sent nor given up,
	// whether due now or waiting for a retry.
	MailPending int
	// OldestMail is the CreatedAt of the oldest pending message; zero when
	// none is pending.
	OldestMail time.Time
	// BlobDeletions counts the media removals queued (BlobQueue), due or
	// waiting for a retry.
	BlobDeletions int
}

// Backlogs reports the store's backlog.
type Backlogs interface {
	// Backlog counts the pending mail and queued media removals at the
	// moment of the call.
	Backlog(ctx context.Context) (Backlog, error)
}
