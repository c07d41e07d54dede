package gram

import (
	"context"
	"io"
	"slices"
	"time"
	"unicode/utf8"
)

// Post is a photo with a caption. LikeCount and CommentCount are kept by
// the store in the same transaction as the like or comment they count.
type Post struct {
	ID           string
	AuthorID     string
	Caption      string
	PhotoKey     string
	CreatedAt    time.Time
	LikeCount    int
	CommentCount int
}

// CanEdit reports whether u may change p's caption: its author only
// (the original API's P5). Staff moderate by deleting, which is audited.
func (p *Post) CanEdit(u *User) bool {
	return u != nil && p.AuthorID == u.ID
}

// CanDelete reports whether u may delete p: its author or staff.
func (p *Post) CanDelete(u *User) bool {
	return p.CanEdit(u) || (u != nil && u.IsStaff())
}

// msgPostExists answers a post the store already has.
const msgPostExists = "This post already exists."

// CreatePost validates the caption, processes and stores the photo, then
// creates the post. The caption is checked before anything is stored, and
// a failed insert removes the stored photo, so no orphan is left.
func (s *Service) CreatePost(ctx context.Context, u *User, caption string, photo io.Reader) (*Post, error) {
	caption = CleanText(caption)
	if utf8.RuneCountInString(caption) > CaptionMax {
		return nil, Errorf(EINVALID, "The caption text must be 256 characters the most.")
	}
	now := s.now()
	p := &Post{ID: NewID(now), AuthorID: u.ID, Caption: caption, CreatedAt: now}
	key, err := s.storeImage(ctx, photo, ImagePost, func(ext string) string { return postKey(u.ID, p.ID, ext) })
	if err != nil {
		return nil, err
	}
	p.PhotoKey = key
	if err := s.store.CreatePost(ctx, p); err != nil {
		s.discardUpload(ctx, key)
		return nil, storeErr(err, "User not found.", msgPostExists)
	}
	return p, nil
}

// PostDetail is a post with its likers and first page of comments.
type PostDetail struct {
	Post     *Post
	Likes    []string
	Comments []*Comment
}

// PostByID returns a post with its likers and comments (oldest first),
// as viewer (nil: nobody logged in) may see it: not found when a block
// stands between the viewer and its author, forbidden when the author is
// private and not followed; likers and comments of accounts blocked
// either way with the viewer are left out.
func (s *Service) PostByID(ctx context.Context, viewer *User, id string, comments Page) (*PostDetail, error) {
	const notFound = "The post no longer active."
	p, err := s.visiblePost(ctx, viewer, id, notFound, false)
	if err != nil {
		return nil, err
	}
	likes, err := s.store.LikerIDs(ctx, []string{id}, s.cfg.ListCap)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.CommentsByPost(ctx, id, s.clampPage(comments, s.cfg.ListCap))
	if err != nil {
		return nil, err
	}
	ids := slices.Clone(likes[id])
	for _, c := range cs {
		ids = append(ids, c.AuthorID)
	}
	sh, err := s.Shield(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	cs = slices.DeleteFunc(cs, func(c *Comment) bool { return sh.Hides(c.AuthorID) })
	return &PostDetail{Post: p, Likes: sh.Keep(likes[id]), Comments: cs}, nil
}

// visiblePost loads post id for viewer, who must see its author's
// content (CanSeeContent) or, to like or comment (interact), may interact
// with the author (CanInteract); a post hidden from the viewer is not
// found (notFound).
func (s *Service) visiblePost(ctx context.Context, viewer *User, id, notFound string, interact bool) (*Post, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "%s", notFound)
	}
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, storeErr(err, notFound, msgPostExists)
	}
	r, err := s.relationTo(ctx, viewer, p.AuthorID)
	switch {
	case isNotFound(err):
		return nil, Errorf(ENOTFOUND, "%s", notFound)
	case err != nil:
		return nil, err
	case interact && !r.CanInteract():
		return nil, interactErr(r, notFound)
	case !r.CanSeeContent():
		return nil, contentErr(r, notFound)
	}
	return p, nil
}

// FeedPage is one page of the feed with each post's likers (capped;
// LikeCount is always exact). Next continues after it; Next.HasCursor is
// false when the page was not full, so nothing follows.
type FeedPage struct {
	Posts []*Post
	Likes map[string][]string
	Next  Page
}

// Feed returns a page of the posts viewer (nil: nobody logged in) may
// have in a feed (Relation.InFeed, applied by the store's query), newest
// first.
func (s *Service) Feed(ctx context.Context, viewer *User, page Page) (*FeedPage, error) {
	return s.feedPage(ctx, viewer, page, func(page Page) ([]*Post, error) { return s.store.Feed(ctx, viewerID(viewer), page) })
}

// feedPage reads a page of posts with fetch, newest first, and their
// likers that viewer may see.
func (s *Service) feedPage(ctx context.Context, viewer *User, page Page, fetch func(Page) ([]*Post, error)) (*FeedPage, error) {
	page = s.clampPage(page, s.cfg.FeedLimit)
	posts, err := fetch(page)
	if err != nil {
		return nil, err
	}
	likes, err := s.PostLikers(ctx, viewer, posts)
	if err != nil {
		return nil, err
	}
	next := nextPage(posts, page, func(p *Post) (time.Time, string) { return p.CreatedAt, p.ID })
	return &FeedPage{Posts: posts, Likes: likes, Next: next}, nil
}

// PostLikers returns, for each of posts, up to ListCap ids of its likers
// that viewer may see (one store lookup for the likers, one for the
// shield).
func (s *Service) PostLikers(ctx context.Context, viewer *User, posts []*Post) (map[string][]string, error) {
	likes, err := s.store.LikerIDs(ctx, postIDsOf(posts), s.cfg.ListCap)
	if err != nil || viewer == nil {
		return likes, err
	}
	var all []string
	for _, l := range likes {
		all = append(all, l...)
	}
	sh, err := s.Shield(ctx, viewer, all)
	for id, l := range likes {
		likes[id] = sh.Keep(l)
	}
	return likes, err
}

// UpdatePost changes a post's caption; only its author may.
func (s *Service) UpdatePost(ctx context.Context, u *User, id, caption string) error {
	p, err := s.ownPost(ctx, u, id, (*Post).CanEdit, "Not found post to update.", "You cannot update someone else's post.")
	if err != nil {
		return err
	}
	caption = CleanText(caption)
	switch {
	case caption == "":
		return Errorf(EINVALID, "Please set a new caption for the post.")
	case utf8.RuneCountInString(caption) > CaptionMax:
		return Errorf(EINVALID, "The caption text must be 256 characters the most.")
	}
	return storeErr(s.store.UpdatePostCaption(ctx, p.ID, caption), "Not found post to update.", msgPostExists)
}

// DeletePost deletes a post, its likes, comments and photo; only its
// author or staff may.
func (s *Service) DeletePost(ctx context.Context, u *User, id string) error {
	return s.deletePost(ctx, u, id, "")
}

// deletePost is the one delete path of posts; staff deleting someone
// else's post are audited (see contentAudit).
func (s *Service) deletePost(ctx context.Context, u *User, id, reason string) error {
	p, err := s.ownPost(ctx, u, id, (*Post).CanDelete, "Not found post to delete.", "You cannot delete someone else's post.")
	if err != nil {
		return err
	}
	e := s.contentAudit(u, p.AuthorID, AuditDeletePost, "post", p.ID, reason)
	if err := s.store.DeletePost(ctx, p.ID, e); err != nil {
		return storeErr(err, "Not found post to delete.", msgPostExists)
	}
	s.removeQueued(ctx, p.PhotoKey)
	return nil
}

// ownPost loads post id for u, who must pass may.
func (s *Service) ownPost(ctx context.Context, u *User, id string, may func(*Post, *User) bool, notFound, forbidden string) (*Post, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "%s", notFound)
	}
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, storeErr(err, notFound, msgPostExists)
	}
	if !may(p, u) {
		return nil, Errorf(EFORBIDDEN, "%s", forbidden)
	}
	return p, nil
}
