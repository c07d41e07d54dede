package gram

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"
)

// Comment is a user's comment on a post.
type Comment struct {
	ID        string
	PostID    string
	AuthorID  string
	Text      string
	CreatedAt time.Time
}

// CanDelete reports whether u may delete c, which was written on post p:
// the comment's author, the post's author, and staff may.
func (c *Comment) CanDelete(u *User, p *Post) bool {
	return u != nil && (c.AuthorID == u.ID || (p != nil && p.AuthorID == u.ID) || u.IsStaff())
}

// msgCommentExists answers a comment the store already has.
const msgCommentExists = "This comment already exists."

// AddComment comments on a post and notifies its author (unless that is
// u). Only a viewer who may interact with the author may comment.
func (s *Service) AddComment(ctx context.Context, u *User, postID, text string) (*Comment, error) {
	const notFound = "Not found any posts to comment."
	text = CleanText(text)
	switch {
	case text == "":
		return nil, Errorf(EINVALID, "Comment cannot be blank.")
	case utf8.RuneCountInString(text) > CommentMax:
		return nil, Errorf(EINVALID, "A comment cannot be longer than %d characters.", CommentMax)
	}
	p, err := s.visiblePost(ctx, u, postID, notFound, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &Comment{ID: NewID(now), PostID: p.ID, AuthorID: u.ID, Text: text, CreatedAt: now}
	var n *Notification
	if p.AuthorID != u.ID {
		n = &Notification{ID: NewID(now), RecipientID: p.AuthorID, ActorID: u.ID, Kind: NotifyComment, PostID: p.ID, CreatedAt: now}
	}
	return c, storeErr(s.store.CreateComment(ctx, c, n), notFound, msgCommentExists)
}

// DeleteComment deletes a comment; its author, the post's author and
// staff may.
func (s *Service) DeleteComment(ctx context.Context, u *User, id string) error {
	return s.deleteComment(ctx, u, id, "")
}

// deleteComment is the one delete path of comments; staff deleting
// someone else's comment are audited (see contentAudit).
func (s *Service) deleteComment(ctx context.Context, u *User, id, reason string) error {
	const notFound = "Not found any comment to delete."
	if !ValidID(id) {
		return Errorf(ENOTFOUND, notFound)
	}
	c, err := s.store.CommentByID(ctx, id)
	if err != nil {
		return storeErr(err, notFound, msgCommentExists)
	}
	p, err := s.store.PostByID(ctx, c.PostID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !c.CanDelete(u, p) {
		return Errorf(EFORBIDDEN, "You cannot delete someone else's comment.")
	}
	// The post's author may delete comments on it without being staff.
	owner := c.AuthorID
	if p != nil && p.AuthorID == u.ID {
		owner = u.ID
	}
	e := s.contentAudit(u, owner, AuditDeleteComment, "comment", id, reason)
	return storeErr(s.store.DeleteComment(ctx, id, e), notFound, msgCommentExists)
}
