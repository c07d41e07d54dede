package gram

import (
	"context"
	"time"
)

// Store is everything the service persists. Every method is atomic on its
// own; the comments state the errors each returns. Backends: the SQL store
// (SQLite, PostgreSQL). All pass storetest.Run.
type Store interface {
	Users
	Sessions
	Follows
	FollowRequests
	Blocks
	Posts
	Likes
	Saves
	Comments
	Stories
	Notifications
	PasswordResets
	EmailChanges
	OutboxStore
	BlobQueue
	Backlogs
	AuditLog
	JobLeases
	Reports
	Exports
	Imports
	// Ping checks that the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Users persists accounts.
type Users interface {
	// CreateUser inserts u, and welcome (when not nil) into the mail outbox,
	// in one transaction. Returns ErrConflict if the username or email is taken.
	CreateUser(ctx context.Context, u *User, welcome *OutboxMail) error
	// UserByID returns ErrNotFound if there is no such user.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByUsername looks up a lowercased username. Returns ErrNotFound,
	// also for text no backend stores (invalid UTF-8, NUL), never a fault.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// UserByEmail looks up a lowercased email. Returns ErrNotFound, also
	// for text no backend stores.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UpdateUser loads the user, calls fn on it and saves the result, in one
	// transaction; a changed PhotoKey queues the previous one for deletion
	// (see BlobQueue), as every save of a user does. fn's error aborts the
	// update and is returned as is. Returns ErrNotFound, or ErrConflict if
	// the new username or email is taken.
	UpdateUser(ctx context.Context, id string, fn func(*User) error) (*User, error)
	// DeleteUser deletes the user and everything that is theirs: posts,
	// comments, likes, follows, stories, notifications, sessions and resets,
	// fixing the counters of other users' posts, and queues the deletion of
	// their media (UserPrefix(id)), in one transaction. Returns ErrNotFound.
	DeleteUser(ctx context.Context, id string) error
	// SearchUsers returns up to limit active users whose username contains
	// the literal, lowercased query, prefix matches first; none for a query
	// no backend stores (invalid UTF-8, NUL).
	SearchUsers(ctx context.Context, query string, limit int) ([]*User, error)
	// SampleUsers returns up to limit active users starting at a random
	// point of the id space (the caller passes a random id).
	SampleUsers(ctx context.Context, fromID string, limit int) ([]*User, error)
	// UsersByIDs returns the users that exist among ids, in no given order.
	UsersByIDs(ctx context.Context, ids []string) ([]*User, error)
	// ModerateUser loads the user, calls fn on it, saves the result, ends
	// every session of the user and appends e to the audit log, in one
	// transaction. fn's error aborts all of it and is returned as is.
	// Returns ErrNotFound.
	ModerateUser(ctx context.Context, id string, fn func(*User) error, e *AuditEntry) (*User, error)
	// ListUsers returns a page of every user, deactivated and suspended
	// ones too, whose username or email contains the literal, lowercased
	// query (everyone when it is empty), newest first; none for a query no
	// backend stores (invalid UTF-8, NUL).
	ListUsers(ctx context.Context, query string, page Page) ([]*User, error)
}

// Sessions persists logins.
type Sessions interface {
	// CreateSession inserts s.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByID returns ErrNotFound for an unknown or revoked session.
	SessionByID(ctx context.Context, id string) (*Session, error)
	// TouchSession sets the session's LastUsed. Unknown ids are ignored.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// RevokeSession deletes the session. Revoking an unknown id is not an error.
	RevokeSession(ctx context.Context, id string) error
	// RevokeUserSessions deletes all the user's sessions except exceptID.
	RevokeUserSessions(ctx context.Context, userID, exceptID string) error
	// SessionsByUser returns up to limit of the user's sessions that are
	// unexpired at now, most recently used first.
	SessionsByUser(ctx context.Context, userID string, now time.Time, limit int) ([]*Session, error)
}

// Follows persists who follows whom.
type Follows interface {
	// Follow makes followerID follow followeeID and, if that is new and n
	// is not nil, stores n, in one transaction. It reports whether the
	// follow is new. Returns ErrNotFound if either user does not exist.
	Follow(ctx context.Context, followerID, followeeID string, at time.Time, n *Notification) (bool, error)
	// Unfollow reports whether there was a follow to remove.
	Unfollow(ctx context.Context, followerID, followeeID string) (bool, error)
	// FollowerIDs returns up to limit ids of users following userID, newest first.
	FollowerIDs(ctx context.Context, userID string, limit int) ([]string, error)
	// FollowingIDs returns up to limit ids userID follows, newest first.
	FollowingIDs(ctx context.Context, userID string, limit int) ([]string, error)
}

// Edge is one account of a list of edges (blocks, mutes, follow
// requests): the other account and when the edge was made. A page of
// edges continues after the last edge of the previous one (CursorAt is
// its CreatedAt, CursorID its UserID).
type Edge struct {
	UserID    string
	CreatedAt time.Time
}

// FollowRequests persists requests to follow private accounts.
type FollowRequests interface {
	// RequestFollow records that requesterID asks to follow targetID and
	// reports whether the request is new. Returns ErrNotFound if either
	// user does not exist.
	RequestFollow(ctx context.Context, requesterID, targetID string, at time.Time) (bool, error)
	// FollowRequestsTo returns a page of the requests to follow targetID,
	// newest first (Edge.UserID is the requester).
	FollowRequestsTo(ctx context.Context, targetID string, page Page) ([]Edge, error)
	// ApproveFollowRequest deletes the request and makes requesterID follow
	// targetID (from at), in one transaction. Returns ErrNotFound if there
	// is no such request.
	ApproveFollowRequest(ctx context.Context, requesterID, targetID string, at time.Time) error
	// DeleteFollowRequest deletes the request (rejected by the target, or
	// cancelled by the requester) and reports whether there was one.
	DeleteFollowRequest(ctx context.Context, requesterID, targetID string) (bool, error)
}

// Ties is how one account stands to another, as the store keeps it; a
// Relation adds the two accounts.
type Ties struct {
	Follows   bool // the viewer follows the owner
	Requested bool // the viewer asked to follow the owner, not yet answered
	Blocks    bool // the viewer blocks the owner
	BlockedBy bool // the owner blocks the viewer
	Mutes     bool // the viewer mutes the owner
}

// Blocks persists blocks and mutes, and answers how accounts stand to
// each other.
type Blocks interface {
	// Block makes blockerID block blockedID and deletes the follows and
	// follow requests between the two, both ways, in one transaction. It
	// reports whether the block is new. Returns ErrNotFound if either user
	// does not exist, and ErrConflict (nothing changed) if blockerID would
	// block more than max accounts.
	Block(ctx context.Context, blockerID, blockedID string, at time.Time, max int) (bool, error)
	// Unblock reports whether there was a block to remove.
	Unblock(ctx context.Context, blockerID, blockedID string) (bool, error)
	// Mute makes muterID mute mutedID and reports whether the mute is new.
	// Returns ErrNotFound if either user does not exist, and ErrConflict
	// (nothing changed) if muterID would mute more than max accounts.
	Mute(ctx context.Context, muterID, mutedID string, at time.Time, max int) (bool, error)
	// Unmute reports whether there was a mute to remove.
	Unmute(ctx context.Context, muterID, mutedID string) (bool, error)
	// BlockedUsers returns a page of the accounts userID blocks, newest
	// block first.
	BlockedUsers(ctx context.Context, userID string, page Page) ([]Edge, error)
	// MutedUsers returns a page of the accounts userID mutes, newest mute
	// first.
	MutedUsers(ctx context.Context, userID string, page Page) ([]Edge, error)
	// Ties returns how viewerID stands to ownerID, in one statement.
	// Returns ErrNotFound if ownerID does not exist.
	Ties(ctx context.Context, viewerID, ownerID string) (Ties, error)
	// Shield returns, among ids (duplicates and viewerID itself allowed),
	// those blocked either way with viewerID and those viewerID mutes.
	Shield(ctx context.Context, viewerID string, ids []string) (Shield, error)
}

// Posts persists posts.
type Posts interface {
	// CreatePost inserts p with zero counters.
	CreatePost(ctx context.Context, p *Post) error
	// PostByID returns ErrNotFound.
	PostByID(ctx context.Context, id string) (*Post, error)
	// UpdatePostCaption returns ErrNotFound.
	UpdatePostCaption(ctx context.Context, id, caption string) error
	// DeletePost deletes the post with its likes, comments and
	// notifications, queues the deletion of its photo and appends e (when
	// not nil) to the audit log, in one transaction. Returns ErrNotFound.
	DeletePost(ctx context.Context, id string, e *AuditEntry) error
	// Feed returns a page of posts, newest first, by the active users
	// whose posts may be listed to viewerID ("" for nobody logged in):
	// public accounts, viewerID itself, and the private accounts viewerID
	// follows, less the accounts blocked either way and those viewerID
	// mutes (see Relation.InFeed; the filter is in the query, so a page is
	// full whenever more posts follow).
	Feed(ctx context.Context, viewerID string, page Page) ([]*Post, error)
	// PostsByUser returns a page of the user's posts, newest first.
	PostsByUser(ctx context.Context, userID string, page Page) ([]*Post, error)
	// HomeFeed returns a page of the posts of userID and of the users
	// userID follows, newest first, by the authors userID may have in a
	// feed only (Relation.InFeed: active, no block either way, not muted;
	// a filter on the authors before the page is cut, so that a full
	// page means more may follow). Its cost is bounded by the number of accounts followed
	// times the page size, the same for a deep page as for the first. An
	// unknown user has an empty home feed.
	HomeFeed(ctx context.Context, userID string, page Page) ([]*Post, error)
}

// Likes persists likes.
type Likes interface {
	// ToggleLike removes userID's like of the post if there is one, and
	// adds it otherwise, updating the post's like count and (when the like
	// is added and n is not nil) storing n, in one transaction. It reports
	// whether the post is now liked. Returns ErrNotFound if the post does
	// not exist.
	ToggleLike(ctx context.Context, postID, userID string, at time.Time, n *Notification) (bool, error)
	// LikerIDs returns, for each post id, up to limit ids of users who
	// like it, oldest like first. Posts without likes are absent.
	LikerIDs(ctx context.Context, postIDs []string, limit int) (map[string][]string, error)
	// LikesByUser returns a page of the likes userID gave, newest first:
	// the cursor is the (CreatedAt, PostID) of the last like of the
	// previous page.
	LikesByUser(ctx context.Context, userID string, page Page) ([]*Like, error)
}

// Like is one user's like of a post.
type Like struct {
	PostID    string
	UserID    string
	CreatedAt time.Time
}

// Saves persists the posts users keep for later, each visible to the
// user who saved it only.
type Saves interface {
	// SavePost records that userID saved postID at at, and reports
	// whether the save is new: saving a saved post again changes nothing
	// (its save time stays the first). Returns ErrNotFound if the user or
	// the post does not exist. Deleting the post or the user removes it.
	SavePost(ctx context.Context, userID, postID string, at time.Time) (bool, error)
	// UnsavePost removes userID's save of postID and reports whether there
	// was one; an unknown user or post is not an error.
	UnsavePost(ctx context.Context, userID, postID string) (bool, error)
	// SavedPosts returns a page of the posts userID saved, by the authors
	// userID may have in a feed only (Relation.InFeed), most recently
	// saved first: the page's cursor is the
	// save time (SavedPost.SavedAt) and post id of the previous page's
	// last item.
	SavedPosts(ctx context.Context, userID string, page Page) ([]*SavedPost, error)
	// SavedAmong returns which of postIDs userID saved, in one round trip
	// per chunk of ids (never one per post); ids not saved, or unknown,
	// are absent. Repeated ids are allowed.
	SavedAmong(ctx context.Context, userID string, postIDs []string) (map[string]bool, error)
}

// Comments persists comments.
type Comments interface {
	// CreateComment inserts c, increments the post's comment count and
	// stores n when not nil, in one transaction. Returns ErrNotFound if the
	// post does not exist.
	CreateComment(ctx context.Context, c *Comment, n *Notification) error
	// CommentByID returns ErrNotFound.
	CommentByID(ctx context.Context, id string) (*Comment, error)
	// DeleteComment deletes the comment, decrements the post's comment
	// count and appends e (when not nil) to the audit log, in one
	// transaction. Returns ErrNotFound.
	DeleteComment(ctx context.Context, id string, e *AuditEntry) error
	// CommentsByPost returns a page of the post's comments, oldest first:
	// the cursor is the last comment of the previous page.
	CommentsByPost(ctx context.Context, postID string, page Page) ([]*Comment, error)
	// CommentsByAuthor returns a page of the comments userID wrote, on
	// any post, newest first: the cursor is the last comment of the
	// previous page.
	CommentsByAuthor(ctx context.Context, userID string, page Page) ([]*Comment, error)
}

// Stories persists stories.
type Stories interface {
	// CreateStory inserts s.
	CreateStory(ctx context.Context, s *Story) error
	// StoryByID returns ErrNotFound.
	StoryByID(ctx context.Context, id string) (*Story, error)
	// DeleteStory deletes the story, queues the deletion of its photo and
	// appends e (when not nil) to the audit log, in one transaction.
	// Returns ErrNotFound.
	DeleteStory(ctx context.Context, id string, e *AuditEntry) error
	// ActiveStories returns up to limit unexpired stories, newest first,
	// of the active users whose stories may be listed to viewerID (as
	// Feed chooses them).
	ActiveStories(ctx context.Context, viewerID string, now time.Time, limit int) ([]*Story, error)
	// ExpiredStories returns up to limit stories that expired before now.
	ExpiredStories(ctx context.Context, now time.Time, limit int) ([]*Story, error)
	// StoriesByUser returns up to limit of the user's stories unexpired
	// at now, newest first.
	StoriesByUser(ctx context.Context, userID string, now time.Time, limit int) ([]*Story, error)
}

// Notifications persists notifications.
type Notifications interface {
	// NotificationsFor returns up to limit of the user's notifications,
	// newest first.
	NotificationsFor(ctx context.Context, userID string, limit int) ([]*Notification, error)
}

// PasswordReset is a pending password reset: only the SHA-256 of the
// token is stored.
type PasswordReset struct {
	UserID    string
	TokenHash string
	ExpiresAt time.Time
}

// PasswordResets persists password-reset tokens.
type PasswordResets interface {
	// SetPasswordReset stores r, replacing the user's previous reset, and
	// queues m (when not nil) in the mail outbox, in one transaction.
	SetPasswordReset(ctx context.Context, r PasswordReset, m *OutboxMail) error
	// ResetPassword finds the reset with tokenHash that expires after now,
	// applies fn to its user, saves the user and deletes the reset, in one
	// transaction (so a token works once). Returns ErrNotFound if there is
	// no such unexpired reset; fn's error is returned as is.
	ResetPassword(ctx context.Context, tokenHash string, now time.Time, fn func(*User) error) (*User, error)
}

// EmailChange is a pending change of an account's address: it takes
// effect when the link mailed to NewEmail is followed. Only the SHA-256
// of the token is stored.
type EmailChange struct {
	UserID    string
	NewEmail  string // lowercased
	TokenHash string
	ExpiresAt time.Time
}

// EmailChanges persists pending email changes.
type EmailChanges interface {
	// SetEmailChange stores c, replacing the user's previous pending
	// change, and queues mails (nil ones are skipped) in the mail outbox,
	// in one transaction. Returns ErrNotFound if the user does not exist.
	SetEmailChange(ctx context.Context, c EmailChange, mails ...*OutboxMail) error
	// ConfirmEmailChange finds the change with tokenHash that expires after
	// now, calls apply on its user (apply sets the address and returns the
	// mail to queue, or nil), saves the user, deletes the change and queues
	// the mail, in one transaction (so a token works once). Returns
	// ErrNotFound if there is no such unexpired change, and ErrConflict if
	// another account has the new address by now (the change stays
	// pending); apply's error is returned as is.
	ConfirmEmailChange(ctx context.Context, tokenHash string, now time.Time,
		apply func(u *User, newEmail string) (*OutboxMail, error)) (*User, error)
	// CancelEmailChange deletes the user's pending change, if any (a
	// password change or reset ends it). An unknown user is not an error.
	CancelEmailChange(ctx context.Context, userID string) error
}
