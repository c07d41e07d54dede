package gram

import (
	"context"
	"io"
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

// PostByID returns a post with its likers and comments (oldest first).
func (s *Service) PostByID(ctx context.Context, id string, comments Page) (*PostDetail, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "The post no longer active.")
	}
	p, err := s.store.PostByID(ctx, id)
	if err != nil {
		return nil, storeErr(err, "The post no longer active.", msgPostExists)
	}
	likes, err := s.store.LikerIDs(ctx, []string{id}, s.cfg.ListCap)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.CommentsByPost(ctx, id, s.clampPage(comments, s.cfg.ListCap))
	if err != nil {
		return nil, err
	}
	return &PostDetail{Post: p, Likes: likes[id], Comments: cs}, nil
}

// FeedPage is one page of the feed with each post's likers (capped;
// LikeCount is always exact). Next continues after it; Next.HasCursor is
// false when the page was not full, so nothing follows.
type FeedPage struct {
	Posts []*Post
	Likes map[string][]string
	Next  Page
}

// Feed returns a page of posts, newest first.
func (s *Service) Feed(ctx context.Context, page Page) (*FeedPage, error) {
	page = s.clampPage(page, s.cfg.FeedLimit)
	posts, err := s.store.Feed(ctx, page)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	likes, err := s.store.LikerIDs(ctx, ids, s.cfg.ListCap)
	if err != nil {
		return nil, err
	}
	next := nextPage(posts, page, func(p *Post) (time.Time, string) { return p.CreatedAt, p.ID })
	return &FeedPage{Posts: posts, Likes: likes, Next: next}, nil
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
