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
// and keeps a post if its author may be listed to the viewer
// (listedAuthor; viewer is false for nobody logged in).
func feedQuery(viewer, cursor bool) string {
	q := `SELECT ` + postColumns + ` FROM posts p WHERE ` + listedAuthor("p.author_id", viewer)
	if cursor {
		q += ` AND (p.created_at, p.id) < (?, ?)`
	}
	return q + ` ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
}

// listedAuthor is the condition that the posts and stories of the user
// whose id is in col may be listed in a feed to the viewer
// (gram.Relation.InFeed): the user is active, public or the viewer or
// followed by the viewer, no block stands between the two either way,
// and the viewer does not mute the user. It is one correlated scalar
// subquery, one primary-key lookup of the user per row the outer query
// reads, whose inner lookups are each a probe of a primary key or of
// blocks_blocked: a page costs a few index probes a row and never a scan
// of the users, block or mute tables. SQLite turns a join, and also an
// EXISTS, into a join with a Bloom filter it builds by reading the whole
// users table for every page (tens of milliseconds at 100,000 users); a
// scalar subquery it runs per row. PostgreSQL runs it per row too. Without a viewer
// (nobody logged in) it keeps public accounts alone. The viewer's id is
// bound listedArgs times, first among the statement's arguments.
func listedAuthor(col string, viewer bool) string {
	if !viewer {
		return `(SELECT u.active AND NOT u.private FROM users u WHERE u.id = ` + col + `)`
	}
	return `(SELECT u.active
		AND (NOT u.private OR u.id = ? OR (SELECT 1 FROM follows f WHERE f.follower_id = ? AND f.followee_id = u.id) IS NOT NULL)
		AND (SELECT 1 FROM blocks b WHERE b.blocker_id = ? AND b.blocked_id = u.id) IS NULL
		AND (SELECT 1 FROM blocks b WHERE b.blocked_id = ? AND b.blocker_id = u.id) IS NULL
		AND (SELECT 1 FROM mutes m WHERE m.muter_id = ? AND m.muted_id = u.id) IS NULL
		FROM users u WHERE u.id = ` + col + `)`
}

// listedArgs returns the arguments listedAuthor binds for viewerID ("":
// nobody, none), followed by args.
func listedArgs(viewerID string, args ...any) []any {
	if viewerID == "" {
		return args
	}
	return append([]any{viewerID, viewerID, viewerID, viewerID, viewerID}, args...)
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

func (s *Store) Feed(ctx context.Context, viewerID string, page gram.Page) ([]*gram.Post, error) {
	out, err := queryAll(ctx, s, scanPost, feedQuery(viewerID != "", page.HasCursor()), listedArgs(viewerID, pageArgs(page)...)...)
	return out, s.wrap("feed", err)
}

func (s *Store) PostsByUser(ctx context.Context, userID string, page gram.Page) ([]*gram.Post, error) {
	out, err := queryAll(ctx, s, scanPost, postsByUserQuery(page.HasCursor()), pageArgs(page, userID)...)
	return out, s.wrap("posts by user", err)
}
