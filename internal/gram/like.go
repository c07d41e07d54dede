package gram

import "context"

// msgLikedTwice answers a like the store already has (the original's
// words for a duplicate like).
const msgLikedTwice = "You cannot like a post twice."

// ToggleLike likes the post, or unlikes it if u already likes it, and
// reports whether it is now liked. The author is notified of a like (not
// of their own, and only once per liker). Only a viewer who may
// interact with the author (Relation.CanInteract) may like.
func (s *Service) ToggleLike(ctx context.Context, u *User, postID string) (bool, error) {
	const notFound = "Not found posts to like."
	p, err := s.visiblePost(ctx, u, postID, notFound, true)
	if err != nil {
		return false, err
	}
	now := s.now()
	var n *Notification
	if p.AuthorID != u.ID {
		n = &Notification{ID: NewID(now), RecipientID: p.AuthorID, ActorID: u.ID, Kind: NotifyLike, PostID: p.ID, CreatedAt: now}
	}
	liked, err := s.store.ToggleLike(ctx, p.ID, u.ID, now, n)
	return liked, storeErr(err, notFound, msgLikedTwice)
}
