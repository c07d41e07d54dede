package gram

import "context"

// HomeFeed returns a page of u's home feed: the posts of the accounts u
// follows and u's own that u may have in a feed (Relation.InFeed: muted
// and blocked accounts leave it), newest first, in the shape of the
// feed. It reads
// on request (fan-out on read), one query bounded by the accounts u
// follows times the page size; docs/benchmarks.md compares it with a
// precomputed timeline.
func (s *Service) HomeFeed(ctx context.Context, u *User, page Page) (*FeedPage, error) {
	return s.feedPage(ctx, u, page, func(page Page) ([]*Post, error) { return s.store.HomeFeed(ctx, u.ID, page) })
}
