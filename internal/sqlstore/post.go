package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

const postColumns = `p.id, p.author_id, p.caption, p.photo_key, p.created_at, p.like_count, p.comment_count`

func scanPost(r scanner) (*gram.Post, error) {
	var (
		p  gram.Post
		at int64
	)
	if err := r.Scan(&p.ID, &p.AuthorID, &p.Caption, &p.PhotoKey, &at, &p.LikeCount, &p.CommentCount); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMS(at)
	return &p, nil
}

func (s *Store) CreatePost(ctx context.Context, p *gram.Post) error {
	_, err := s.exec(ctx, `INSERT INTO posts (id, author_id, caption, photo_key, created_at) VALUES (?, ?, ?, ?, ?)`,
		p.ID, p.AuthorID, p.Caption, p.PhotoKey, ms(p.CreatedAt))
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return s.wrap("create post", err)
}

const qPostByID = `SELECT ` + postColumns + ` FROM posts p WHERE p.id = ?`

func (s *Store) PostByID(ctx context.Context, id string) (*gram.Post, error) {
	p, err := scanPost(s.queryRow(ctx, qPostByID, id))
	return p, s.wrap("post by id", err)
}

func (s *Store) UpdatePostCaption(ctx context.Context, id, caption string) error {
	return s.wrap("update post", mustAffect(s.exec(ctx, `UPDATE posts SET caption = ? WHERE id = ?`, caption, id)))
}

// qDeletePost deletes a post and returns its photo's key, to queue.
const qDeletePost = `DELETE FROM posts WHERE id = ? RETURNING photo_key`

func (s *Store) DeletePost(ctx context.Context, id string, e *gram.AuditEntry) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM notifications WHERE post_id = ?`, id); err != nil {
			return err
		}
		var key string
		if err := t.queryRow(ctx, qDeletePost, id).Scan(&key); err != nil {
			return err
		}
		if err := queueDropped(ctx, t, key); err != nil {
			return err
		}
		return insertAudit(ctx, t, e)
	})
	return s.wrap("delete post", err)
}

// feedQuery walks the (created_at, id) index backwards from the cursor
// (a row-value comparison, which both dialects turn into an index range)
// and keeps a post if its author is active (authorActive).
func feedQuery(cursor bool) string {
	q := `SELECT ` + postColumns + ` FROM posts p WHERE ` + authorActive("p.author_id")
	if cursor {
		q += ` AND (p.created_at, p.id) < (?, ?)`
	}
	return q + ` ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
}

// authorActive is the condition that the user whose id is in col is
// active: a correlated scalar subquery, one primary-key lookup per row
// the outer query reads. SQLite turns a join, and also an EXISTS, into a
// join with a Bloom filter it builds by reading the whole users table
// for every page (tens of milliseconds at 100,000 users); a scalar
// subquery it runs per row. PostgreSQL runs it per row too.
func authorActive(col string) string {
	return `(SELECT u.active FROM users u WHERE u.id = ` + col + `)`
}

// postsByUserQuery walks the (author_id, created_at, id) index backwards.
func postsByUserQuery(cursor bool) string {
	q := `SELECT ` + postColumns + ` FROM posts p WHERE p.author_id = ?`
	if cursor {
		q += ` AND (p.created_at, p.id) < (?, ?)`
	}
	return q + ` ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
}

// pageArgs appends the page's cursor (when it has one) and limit to args.
func pageArgs(page gram.Page, args ...any) []any {
	if page.HasCursor() {
		args = append(args, ms(page.CursorAt), page.CursorID)
	}
	return append(args, page.Limit)
}

func (s *Store) Feed(ctx context.Context, page gram.Page) ([]*gram.Post, error) {
	out, err := queryAll(ctx, s, scanPost, feedQuery(page.HasCursor()), pageArgs(page)...)
	return out, s.wrap("feed", err)
}

func (s *Store) PostsByUser(ctx context.Context, userID string, page gram.Page) ([]*gram.Post, error) {
	out, err := queryAll(ctx, s, scanPost, postsByUserQuery(page.HasCursor()), pageArgs(page, userID)...)
	return out, s.wrap("posts by user", err)
}
