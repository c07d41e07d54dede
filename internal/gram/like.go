package gram

import "context"

// msgLikedTwice answers a like the store already has (the original's
// words for a duplicate like).
const msgLikedTwice = "You cannot like a post twice."

// ToggleLike likes the post, or unlikes it if u already likes it, and
// reports whether it is now liked. The author is notified of a like (not
// of their own, and only once per liker).
func (s *Service) ToggleLike(ctx context.Context, u *User, postID string) (bool, error) {
	const notFound = "Not found posts to like."
	if !ValidID(postID) {
		return false, Errorf(ENOTFOUND, notFound)
	}
	p, err := s.store.PostByID(ctx, postID)
	if err != nil {
		return false, storeErr(err, notFound, msgPostExists)
	}
	now := s.now()
	var n *Notification
	if p.AuthorID != u.ID {
		n = &Notification{ID: NewID(now), RecipientID: p.AuthorID, ActorID: u.ID, Kind: NotifyLike, PostID: p.ID, CreatedAt: now}
	}
	liked, err := s.store.ToggleLike(ctx, p.ID, u.ID, now, n)
	return liked, storeErr(err, notFound, msgLikedTwice)
}
