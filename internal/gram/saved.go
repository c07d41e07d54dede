package gram

import (
	"context"
	"time"
)

// SavedPost is a post a user saved, with when they saved it: the saved
// list pages by SavedAt.
type SavedPost struct {
	Post    *Post
	SavedAt time.Time
}

// msgSaveNotFound answers a save of a post that does not exist.
const msgSaveNotFound = "Not found post to save."

// SavePost saves a post for u; saving it again changes nothing.
func (s *Service) SavePost(ctx context.Context, u *User, postID string) error {
	if !ValidID(postID) {
		return Errorf(ENOTFOUND, msgSaveNotFound)
	}
	p, err := s.store.PostByID(ctx, postID)
	if err != nil {
		return storeErr(err, msgSaveNotFound, msgPostExists)
	}
	_, err = s.store.SavePost(ctx, u.ID, p.ID, s.now())
	return storeErr(err, msgSaveNotFound, msgPostExists)
}

// UnsavePost removes u's save of a post. A post u did not save is no
// error (unsaving is idempotent); one that does not exist is not found
// (its saves went with it).
func (s *Service) UnsavePost(ctx context.Context, u *User, postID string) error {
	const notFound = "Not found post to unsave."
	if !ValidID(postID) {
		return Errorf(ENOTFOUND, notFound)
	}
	if _, err := s.store.PostByID(ctx, postID); err != nil {
		return storeErr(err, notFound, msgPostExists)
	}
	_, err := s.store.UnsavePost(ctx, u.ID, postID)
	return err
}

// SavedPage is one page of u's saved posts, most recently saved first,
// with each post's likers as in the feed.
type SavedPage struct {
	Posts []*Post
	Likes map[string][]string
	Next  Page
}

// SavedPosts returns a page of the posts u saved.
func (s *Service) SavedPosts(ctx context.Context, u *User, page Page) (*SavedPage, error) {
	page = s.clampPage(page, s.cfg.FeedLimit)
	saved, err := s.store.SavedPosts(ctx, u.ID, page)
	if err != nil {
		return nil, err
	}
	posts := make([]*Post, len(saved))
	for i, sp := range saved {
		posts[i] = sp.Post
	}
	likes, err := s.PostLikers(ctx, u, posts)
	if err != nil {
		return nil, err
	}
	next := nextPage(saved, page, func(sp *SavedPost) (time.Time, string) { return sp.SavedAt, sp.Post.ID })
	return &SavedPage{Posts: posts, Likes: likes, Next: next}, nil
}

// SavedAmong returns which of posts the viewer saved, in one store query
// per page; nil for no viewer (an anonymous reader has saved nothing).
func (s *Service) SavedAmong(ctx context.Context, viewer *User, posts []*Post) (map[string]bool, error) {
	if viewer == nil || len(posts) == 0 {
		return nil, nil
	}
	return s.store.SavedAmong(ctx, viewer.ID, postIDsOf(posts))
}

// postIDsOf returns the ids of posts, in order.
func postIDsOf(posts []*Post) []string {
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	return ids
}
