package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// ToggleLike deletes the like if it exists, else inserts it. Both paths
// are single conditional statements, so concurrent toggles never lose or
// duplicate a like and the counter stays exact under READ COMMITTED.
func (s *Store) ToggleLike(ctx context.Context, postID, userID string, at time.Time, n *gram.Notification) (bool, error) {
	var liked bool
	err := s.inTx(ctx, func(t tx) error {
		var err error
		liked, err = toggleLikeTx(ctx, t, postID, userID, at, n)
		return err
	})
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return liked, s.wrap("toggle like", err)
}

// The statements of a like toggle: each touches one like (primary key)
// and one post (primary key).
const (
	qUnlike        = `DELETE FROM likes WHERE post_id = ? AND user_id = ?`
	qLikeCountDown = `UPDATE posts SET like_count = like_count - 1 WHERE id = ?`
	qLike          = `INSERT INTO likes (post_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT (post_id, user_id) DO NOTHING`
	qLikeCountUp   = `UPDATE posts SET like_count = like_count + 1 WHERE id = ?`
)

func toggleLikeTx(ctx context.Context, t tx, postID, userID string, at time.Time, n *gram.Notification) (bool, error) {
	res, err := t.exec(ctx, qUnlike, postID, userID)
	if err != nil {
		return false, err
	}
	if k, err := res.RowsAffected(); err != nil || k > 0 {
		if err == nil {
			_, err = t.exec(ctx, qLikeCountDown, postID)
		}
		return false, err
	}
	res, err = t.exec(ctx, qLike, postID, userID, ms(at))
	if err != nil {
		return false, err
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		return true, err // a concurrent toggle liked it first
	}
	if err := mustAffect(t.exec(ctx, qLikeCountUp, postID)); err != nil {
		return false, err
	}
	return true, insertNotification(ctx, t, n)
}

// likerIDsQuery reads the first likes of n posts in one round trip: one
// branch per post, each a bounded range of the (post_id, created_at,
// user_id) index, however liked the post is. (A ROW_NUMBER() window over
// post_id IN (...) would read every like of each post before dropping
// all but the first limit.) The branches' order is not SQL's to keep, so
// rows carry created_at and Go orders them.
func likerIDsQuery(n int) string {
	const branch = `SELECT post_id, user_id, created_at FROM (SELECT post_id, user_id, created_at FROM likes
		WHERE post_id = ? ORDER BY created_at, user_id LIMIT ?) AS l`
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString(branch + strconv.Itoa(i))
	}
	return b.String()
}

// likerIDsChunk bounds the branches of one query (SQLite allows 500
// SELECTs in a compound statement).
const likerIDsChunk = 100

func (s *Store) LikerIDs(ctx context.Context, postIDs []string, limit int) (map[string][]string, error) {
	out := map[string][]string{}
	ids := slices.Compact(slices.Sorted(slices.Values(postIDs)))
	for chunk := range slices.Chunk(ids, likerIDsChunk) {
		if err := s.likerIDs(ctx, chunk, limit, out); err != nil {
			return nil, s.wrap("liker ids", err)
		}
	}
	return out, nil
}

// like is one row of likerIDsQuery.
type like struct {
	postID, userID string
	at             int64
}

func scanLike(r scanner) (like, error) {
	var l like
	err := r.Scan(&l.postID, &l.userID, &l.at)
	return l, err
}

// likerIDs adds the likers of postIDs (distinct) to out, each post's
// oldest like first.
func (s *Store) likerIDs(ctx context.Context, postIDs []string, limit int, out map[string][]string) error {
	args := make([]any, 0, 2*len(postIDs))
	for _, id := range postIDs {
		args = append(args, id, limit)
	}
	likes, err := queryAll(ctx, s, scanLike, likerIDsQuery(len(postIDs)), args...)
	if err != nil {
		return err
	}
	slices.SortFunc(likes, func(a, b like) int {
		return cmp.Or(strings.Compare(a.postID, b.postID), cmp.Compare(a.at, b.at), strings.Compare(a.userID, b.userID))
	})
	for _, l := range likes {
		out[l.postID] = append(out[l.postID], l.userID)
	}
	return nil
}

// likesByUserQuery walks the (user_id, created_at, post_id) index backwards.
func likesByUserQuery(cursor bool) string {
	q := `SELECT post_id, user_id, created_at FROM likes WHERE user_id = ?`
	if cursor {
		q += ` AND (created_at, post_id) < (?, ?)`
	}
	return q + ` ORDER BY created_at DESC, post_id DESC LIMIT ?`
}

func (s *Store) LikesByUser(ctx context.Context, userID string, page gram.Page) ([]*gram.Like, error) {
	out, err := queryAll(ctx, s, func(r scanner) (*gram.Like, error) {
		l, err := scanLike(r)
		return &gram.Like{PostID: l.postID, UserID: l.userID, CreatedAt: fromMS(l.at)}, err
	}, likesByUserQuery(page.HasCursor()), pageArgs(page, userID)...)
	return out, s.wrap("likes by user", err)
}
