package gram

import (
	"context"
	"errors"
	"slices"
	"time"
)

// MaxBlocks caps the accounts one account may block, and MaxMutes those
// it may mute: each list is read whole by nothing, but stays bounded.
const (
	MaxBlocks = 10_000
	MaxMutes  = 10_000
)

// Block makes u block the user with that username: the follows and follow
// requests between them end, both ways, and the two stop seeing each
// other (see Relation). A repeat is not an error.
func (s *Service) Block(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, "You cannot block yourself.")
	if err != nil {
		return nil, err
	}
	_, err = s.store.Block(ctx, u.ID, t.ID, s.now(), MaxBlocks)
	return t, storeErr(err, "User not found.", "You cannot block more than 10000 accounts.")
}

// Unblock ends u's block of the user; no block is not an error.
func (s *Service) Unblock(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, "You cannot unblock yourself.")
	if err != nil {
		return nil, err
	}
	_, err = s.store.Unblock(ctx, u.ID, t.ID)
	return t, err
}

// Mute makes u mute the user: their posts and stories leave u's feeds,
// and they are not told. A repeat is not an error.
func (s *Service) Mute(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, "You cannot mute yourself.")
	if err != nil {
		return nil, err
	}
	_, err = s.store.Mute(ctx, u.ID, t.ID, s.now(), MaxMutes)
	return t, storeErr(err, "User not found.", "You cannot mute more than 10000 accounts.")
}

// Unmute ends u's mute of the user; no mute is not an error.
func (s *Service) Unmute(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, "You cannot unmute yourself.")
	if err != nil {
		return nil, err
	}
	_, err = s.store.Unmute(ctx, u.ID, t.ID)
	return t, err
}

// edgeTarget looks up the other end of a block, mute or follow request
// by username: any existing account but u (a deactivated one too, so
// that a block outlives its reactivation).
func (s *Service) edgeTarget(ctx context.Context, u *User, username, self string) (*User, error) {
	username = NormalizeUsername(username)
	if username == u.Username {
		return nil, Errorf(EINVALID, "%s", self)
	}
	t, err := s.store.UserByUsername(ctx, username)
	return t, storeErr(err, "User not found.", msgUserExists)
}

// EdgePage is one page of a list of accounts (blocks, mutes, follow
// requests), newest edge first, with when each edge was made. Next
// continues after it (see FeedPage).
type EdgePage struct {
	Users []*User
	Since map[string]time.Time // by user id
	Next  Page
}

// BlockedUsers returns a page of the accounts u blocks.
func (s *Service) BlockedUsers(ctx context.Context, u *User, page Page) (*EdgePage, error) {
	return s.edgePage(ctx, u.ID, page, s.store.BlockedUsers)
}

// MutedUsers returns a page of the accounts u mutes.
func (s *Service) MutedUsers(ctx context.Context, u *User, page Page) (*EdgePage, error) {
	return s.edgePage(ctx, u.ID, page, s.store.MutedUsers)
}

// edgePage reads a page of edges with list and loads their accounts.
func (s *Service) edgePage(ctx context.Context, id string, page Page,
	list func(context.Context, string, Page) ([]Edge, error)) (*EdgePage, error) {
	page = s.clampPage(page, s.cfg.FeedLimit)
	edges, err := list(ctx, id, page)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(edges))
	since := make(map[string]time.Time, len(edges))
	for i, e := range edges {
		ids[i], since[e.UserID] = e.UserID, e.CreatedAt
	}
	users, err := s.store.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(users, func(a, b *User) int { return slices.Index(ids, a.ID) - slices.Index(ids, b.ID) })
	next := nextPage(edges, page, func(e Edge) (time.Time, string) { return e.CreatedAt, e.UserID })
	return &EdgePage{Users: users, Since: since, Next: next}, nil
}

// errBlocking answers u's follow, like or comment of an account u blocks.
var errBlocking = Errorf(EFORBIDDEN, "You have blocked this account. Unblock it first.")

// interactErr is the answer to u's follow, like or comment that r does
// not allow, with notFound for an account hidden from u.
func interactErr(r Relation, notFound string) error {
	switch {
	case r.Blocks:
		return errBlocking
	case r.BlockedBy, !r.CanSeeProfile():
		return Errorf(ENOTFOUND, "%s", notFound)
	}
	return Errorf(EFORBIDDEN, msgPrivate)
}

// isNotFound reports whether err is the store's ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
