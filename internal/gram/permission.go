package gram

import "context"

// Relation is how a viewer stands to an account (its owner): the one
// input of every visibility and interaction rule. Each question is one
// method; handlers and lists ask these and nothing else.
//
// A block separates two accounts both ways: neither sees the other's
// profile, posts, stories or comments, and neither can follow, like,
// comment on or mention the other. A mute only keeps the muted account's
// posts and stories out of the muter's feeds, unknown to it. A private
// account shows its posts, stories and follow lists to its approved
// followers only. Staff (moderators, admins) see every active account
// and its content, to moderate it, but interact as anyone does.
type Relation struct {
	Viewer *User // nil: nobody is logged in
	Owner  *User
	Ties
}

// Self reports whether the viewer is the owner.
func (r Relation) Self() bool { return r.Viewer != nil && r.Viewer.ID == r.Owner.ID }

// blocked reports whether a block stands between the two, either way.
func (r Relation) blocked() bool { return !r.Self() && (r.Blocks || r.BlockedBy) }

// CanSeeProfile answers: can the viewer see the account at all (its
// card, its profile page, its name in lists and notifications)?
func (r Relation) CanSeeProfile() bool {
	switch {
	case r.Self():
		return true
	case !r.Owner.Active:
		return false
	case r.Viewer.IsStaff():
		return true
	}
	return !r.blocked()
}

// CanSeeContent answers: can the viewer see the account's posts, stories,
// comments, likes and follower and following lists?
func (r Relation) CanSeeContent() bool {
	if !r.CanSeeProfile() {
		return false
	}
	return r.approved() || r.Viewer.IsStaff()
}

// approved reports whether the owner's content is for the viewer as a
// follower would have it: a public account, the viewer's own, or one the
// viewer follows.
func (r Relation) approved() bool { return !r.Owner.Private || r.Self() || r.Follows }

// InFeed answers: may the account's posts and stories be listed to the
// viewer in a feed (the feed, the home feed, the story bar, explore, a
// tag page)? An active account that no block separates from the viewer,
// public or the viewer's own or followed, and not muted by the viewer.
// Staff see what anyone sees here: a feed is not a moderation tool.
func (r Relation) InFeed() bool {
	return r.Owner.Active && !r.blocked() && r.approved() && !r.Mutes
}

// CanFollow answers: may the viewer follow the account (or, when it is
// private and not yet followed, ask to)?
func (r Relation) CanFollow() bool {
	return r.Viewer != nil && !r.Self() && r.Owner.Active && !r.blocked()
}

// FollowNeedsApproval answers: does a follow of the account by the
// viewer wait for the owner's approval?
func (r Relation) FollowNeedsApproval() bool { return r.Owner.Private && !r.Follows && !r.Self() }

// CanInteract answers: may the viewer like the account's posts and
// comment on them?
func (r Relation) CanInteract() bool {
	return r.Viewer != nil && !r.blocked() && r.CanSeeContent()
}

// CanMention answers: may the viewer mention the account (a mention
// notifies it)?
func (r Relation) CanMention() bool {
	return r.Viewer != nil && r.Owner.Active && !r.blocked()
}

// CanReport answers: may the viewer report the account (content false)
// or one of its posts, comments or stories (content true)? Not their own;
// otherwise what they may see, and an account they block too, so that a
// block never keeps its victim from reporting; nothing of an account
// that blocks them, nor, for content, of a private account they do not
// follow. Staff may report anything.
func (r Relation) CanReport(content bool) bool {
	switch {
	case r.Self():
		return false
	case r.Viewer.IsStaff():
		return true
	case r.BlockedBy || !r.Owner.Active:
		return false
	}
	return !content || r.approved()
}

// Shield is what one viewer's lists are filtered by, for a given set of
// accounts (Store.Shield): those blocked either way with the viewer, and
// those the viewer mutes. The zero Shield (nobody logged in) hides none.
type Shield struct {
	Blocked map[string]bool
	Muted   map[string]bool
}

// Hides reports whether id's content and name stay out of the viewer's
// lists (comments, likers, followers, search, suggestions, notifications).
func (sh Shield) Hides(id string) bool { return sh.Blocked[id] }

// Quiets reports whether id's posts and stories stay out of the viewer's
// feeds: blocked either way, or muted.
func (sh Shield) Quiets(id string) bool { return sh.Blocked[id] || sh.Muted[id] }

// Keep returns the ids that sh does not hide, in their order.
func (sh Shield) Keep(ids []string) []string {
	if len(sh.Blocked) == 0 {
		return ids
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !sh.Blocked[id] {
			out = append(out, id)
		}
	}
	return out
}

// Relation returns how viewer (nil: nobody logged in) stands to owner,
// reading the ties only when there are two accounts to tie.
func (s *Service) Relation(ctx context.Context, viewer, owner *User) (Relation, error) {
	r := Relation{Viewer: viewer, Owner: owner}
	if viewer == nil || r.Self() {
		return r, nil
	}
	t, err := s.store.Ties(ctx, viewer.ID, owner.ID)
	r.Ties = t
	return r, err
}

// Shield returns the viewer's shield over ids: one store lookup for a
// whole list, none when nobody is logged in or the list is empty.
func (s *Service) Shield(ctx context.Context, viewer *User, ids []string) (Shield, error) {
	if viewer == nil || len(ids) == 0 {
		return Shield{}, nil
	}
	return s.store.Shield(ctx, viewer.ID, ids)
}

// viewerID is the id the store filters lists for: "" for nobody.
func viewerID(u *User) string {
	if u == nil {
		return ""
	}
	return u.ID
}

// relationTo loads the owner by id and the viewer's relation to it;
// ErrNotFound passes through.
func (s *Service) relationTo(ctx context.Context, viewer *User, ownerID string) (Relation, error) {
	if viewer != nil && viewer.ID == ownerID {
		return Relation{Viewer: viewer, Owner: viewer}, nil
	}
	owner, err := s.store.UserByID(ctx, ownerID)
	if err != nil {
		return Relation{}, err
	}
	return s.Relation(ctx, viewer, owner)
}

// msgPrivate answers a private account's content to a viewer who does
// not follow it.
const msgPrivate = "This account is private. Follow it to see its posts."

// contentErr is the answer to a viewer who may not see r's content: not
// found (with notFound) when the account is hidden from the viewer (a
// block, a deactivated account), forbidden when it is private.
func contentErr(r Relation, notFound string) error {
	if !r.CanSeeProfile() {
		return Errorf(ENOTFOUND, "%s", notFound)
	}
	return Errorf(EFORBIDDEN, msgPrivate)
}
