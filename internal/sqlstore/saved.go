package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of a save and an unsave (primary key of saves).
const (
	qSave   = `INSERT INTO saves (user_id, post_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, post_id) DO NOTHING`
	qUnsave = `DELETE FROM saves WHERE user_id = ? AND post_id = ?`
)

func (s *Store) SavePost(ctx context.Context, userID, postID string, at time.Time) (bool, error) {
	created, err := s.changed(ctx, qSave, userID, postID, ms(at))
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return created, s.wrap("save post", err)
}

func (s *Store) UnsavePost(ctx context.Context, userID, postID string) (bool, error) {
	removed, err := s.changed(ctx, qUnsave, userID, postID)
	return removed, s.wrap("unsave post", err)
}

// savedQuery walks the (user_id, created_at, post_id) index of saves
// backwards from the cursor, joining each save to its post by primary
// key, and keeps it if the user may have the post's author in a feed
// (listedAuthor). Arguments: savedArgs.
func savedQuery(cursor bool) string {
	q := `SELECT ` + postColumns + `, s.created_at FROM saves s JOIN posts p ON p.id = s.post_id
		WHERE s.user_id = ? AND ` + listedAuthor("p.author_id", true)
	if cursor {
		q += ` AND (s.created_at, s.post_id) < (?, ?)`
	}
	return q + ` ORDER BY s.created_at DESC, s.post_id DESC LIMIT ?`
}

// savedArgs are the arguments of savedQuery.
func savedArgs(userID string, page gram.Page) []any {
	return pageArgs(page, append([]any{userID}, listedArgs(userID)...)...)
}

func scanSaved(r scanner) (*gram.SavedPost, error) {
	var (
		p      gram.Post
		at, sv int64
	)
	if err := r.Scan(&p.ID, &p.AuthorID, &p.Caption, &p.PhotoKey, &at, &p.LikeCount, &p.CommentCount, &sv); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMS(at)
	return &gram.SavedPost{Post: &p, SavedAt: fromMS(sv)}, nil
}

func (s *Store) SavedPosts(ctx context.Context, userID string, page gram.Page) ([]*gram.SavedPost, error) {
	out, err := queryAll(ctx, s, scanSaved, savedQuery(page.HasCursor()), savedArgs(userID, page)...)
	return out, s.wrap("saved posts", err)
}

// savedAmongQuery looks up n saves of one user by primary key.
func savedAmongQuery(n int) string {
	return `SELECT post_id FROM saves WHERE user_id = ? AND post_id IN (` + placeholders(n) + `)`
}

// savedAmongChunk bounds the ids of one query (a page holds at most 100).
const savedAmongChunk = 100

func (s *Store) SavedAmong(ctx context.Context, userID string, postIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	ids := slices.Compact(slices.Sorted(slices.Values(postIDs)))
	for chunk := range slices.Chunk(ids, savedAmongChunk) {
		saved, err := queryAll(ctx, s, scanID, savedAmongQuery(len(chunk)), append([]any{userID}, anySlice(chunk)...)...)
		if err != nil {
			return nil, s.wrap("saved among", err)
		}
		for _, id := range saved {
			out[id] = true
		}
	}
	return out, nil
}
