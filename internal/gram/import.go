package gram

import (
	"context"
	"time"
)

// Importing moves the data of an existing InstaMERN deployment in, keeping
// its ids (see internal/legacy). The store side is bulk writes that skip
// what is already there, so that an import can run again and adds only
// what it did not add before.

// Follow is one follow edge.
type Follow struct {
	FollowerID, FolloweeID string
	CreatedAt              time.Time
}

// ImportOutcome is what ImportUsers did with one user.
type ImportOutcome int

const (
	// ImportInserted: the user is new and was inserted.
	ImportInserted ImportOutcome = iota
	// ImportPresent: a user with this id is there already (an earlier run).
	ImportPresent
	// ImportConflict: another user has this username or email.
	ImportConflict
)

// ImportBatch is rows of every kind but users, written together: parents
// (posts) before the rows that point at them (likes). Every row's
// references must exist by then.
type ImportBatch struct {
	Follows       []Follow
	Posts         []*Post
	Likes         []Like
	Comments      []*Comment
	Stories       []*Story
	Notifications []*Notification
}

// ImportCounts is how many rows of each kind an ImportRows call inserted.
type ImportCounts struct {
	Follows, Posts, Likes, Comments, Stories, Notifications int
}

// Imports writes imported data in bulk.
type Imports interface {
	// ImportUsers inserts the users, in one transaction, and reports for
	// each what it did: a user whose id exists is left as it is
	// (ImportPresent), one whose username or email another user has is
	// not inserted (ImportConflict).
	ImportUsers(ctx context.Context, users []*User) ([]ImportOutcome, error)
	// ImportRows inserts the batch's rows whose keys are new, in one
	// transaction, skipping those whose key exists (a follow or like by
	// its pair, the rest by id; a notification also by its id's dedupe
	// key), and reports how many of each it inserted. Post counters are
	// not maintained: FinishImport sets them. A row whose reference does
	// not exist fails the whole call.
	ImportRows(ctx context.Context, b *ImportBatch) (ImportCounts, error)
	// FinishImport sets the like and comment counters of every post from
	// its rows and records at as the start of the latest import: legacy
	// tokens issued before it may be adopted (AdoptLegacyToken), unless
	// EndLegacySessions was called.
	FinishImport(ctx context.Context, at time.Time) error
	// LegacyTokensBefore returns the time before which a legacy token must
	// have been issued to be adopted: the start of the latest import; the
	// zero time (none may) when there was no import or after
	// EndLegacySessions.
	LegacyTokensBefore(ctx context.Context) (time.Time, error)
	// LegacySession returns the id of the session made for a legacy token,
	// by the SHA-256 hex of the token, or ErrNotFound if the token was never
	// adopted. The session itself may have ended since.
	LegacySession(ctx context.Context, tokenHash string) (string, error)
	// AdoptLegacyToken creates s as the session of the legacy token whose
	// SHA-256 hex is tokenHash, in one transaction, and returns its id; if
	// the token was adopted already (a concurrent first sight), it creates
	// nothing and returns that session's id. Returns ErrNotFound if
	// s.UserID does not exist.
	AdoptLegacyToken(ctx context.Context, tokenHash string, s *Session) (string, error)
	// EndLegacySessions ends every session made for a legacy token and
	// stops the adoption of any other, for good (a later import does not
	// reopen it), in one transaction. It returns how many sessions ended.
	EndLegacySessions(ctx context.Context) (int64, error)
}
