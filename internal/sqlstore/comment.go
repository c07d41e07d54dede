package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

const commentColumns = `id, post_id, author_id, body, created_at`

func scanComment(r scanner) (*gram.Comment, error) {
	var (
		c  gram.Comment
		at int64
	)
	if err := r.Scan(&c.ID, &c.PostID, &c.AuthorID, &c.Text, &at); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMS(at)
	return &c, nil
}

// The statements of creating and deleting a comment.
const (
	qInsertComment    = `INSERT INTO comments (` + commentColumns + `) VALUES (?, ?, ?, ?, ?)`
	qCommentCountUp   = `UPDATE posts SET comment_count = comment_count + 1 WHERE id = ?`
	qCommentByID      = `SELECT ` + commentColumns + ` FROM comments WHERE id = ?`
	qDeleteComment    = `DELETE FROM comments WHERE id = ? RETURNING post_id`
	qCommentCountDown = `UPDATE posts SET comment_count = comment_count - 1 WHERE id = ?`
)

func (s *Store) CreateComment(ctx context.Context, c *gram.Comment, n *gram.Notification) error {
	err := s.inTx(ctx, func(t tx) error {
		// Insert first: its foreign keys lock the author before the post
		// row is updated, the order DeleteUser takes them in, so the two
		// never deadlock. A missing post fails the foreign key.
		if _, err := t.exec(ctx, qInsertComment,
			c.ID, c.PostID, c.AuthorID, c.Text, ms(c.CreatedAt)); err != nil {
			return err
		}
		if err := mustAffect(t.exec(ctx, qCommentCountUp, c.PostID)); err != nil {
			return err
		}
		return insertNotification(ctx, t, n)
	})
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return s.wrap("create comment", err)
}

func (s *Store) CommentByID(ctx context.Context, id string) (*gram.Comment, error) {
	c, err := scanComment(s.queryRow(ctx, qCommentByID, id))
	return c, s.wrap("comment by id", err)
}

func (s *Store) DeleteComment(ctx context.Context, id string, e *gram.AuditEntry) error {
	err := s.inTx(ctx, func(t tx) error {
		var postID string
		if err := t.queryRow(ctx, qDeleteComment, id).Scan(&postID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, qCommentCountDown, postID); err != nil {
			return err
		}
		return insertAudit(ctx, t, e)
	})
	return s.wrap("delete comment", err)
}

// commentsQuery walks the (post_id, created_at, id) index forwards.
func commentsQuery(cursor bool) string {
	q := `SELECT ` + commentColumns + ` FROM comments WHERE post_id = ?`
	if cursor {
		q += ` AND (created_at, id) > (?, ?)`
	}
	return q + ` ORDER BY created_at, id LIMIT ?`
}

func (s *Store) CommentsByPost(ctx context.Context, postID string, page gram.Page) ([]*gram.Comment, error) {
	out, err := queryAll(ctx, s, scanComment, commentsQuery(page.HasCursor()), pageArgs(page, postID)...)
	return out, s.wrap("comments", err)
}

// commentsByAuthorQuery walks the (author_id, created_at, id) index backwards.
func commentsByAuthorQuery(cursor bool) string {
	q := `SELECT ` + commentColumns + ` FROM comments WHERE author_id = ?`
	if cursor {
		q += ` AND (created_at, id) < (?, ?)`
	}
	return q + ` ORDER BY created_at DESC, id DESC LIMIT ?`
}

func (s *Store) CommentsByAuthor(ctx context.Context, userID string, page gram.Page) ([]*gram.Comment, error) {
	out, err := queryAll(ctx, s, scanComment, commentsByAuthorQuery(page.HasCursor()), pageArgs(page, userID)...)
	return out, s.wrap("comments by author", err)
}
