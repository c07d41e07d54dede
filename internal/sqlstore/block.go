package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of blocks and mutes. A block ends the follows and the
// follow requests between the two accounts, both ways, in its
// transaction; the count that caps the list reads the primary key.
const (
	qBlock         = `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT (blocker_id, blocked_id) DO NOTHING`
	qCountBlocks   = `SELECT COUNT(*) FROM blocks WHERE blocker_id = ?`
	qBlockFollows  = `DELETE FROM follows WHERE (follower_id = ? AND followee_id = ?) OR (follower_id = ? AND followee_id = ?)`
	qBlockRequests = `DELETE FROM follow_requests WHERE (requester_id = ? AND target_id = ?) OR (requester_id = ? AND target_id = ?)`
	qUnblock       = `DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?`
	qMute          = `INSERT INTO mutes (muter_id, muted_id, created_at) VALUES (?, ?, ?) ON CONFLICT (muter_id, muted_id) DO NOTHING`
	qCountMutes    = `SELECT COUNT(*) FROM mutes WHERE muter_id = ?`
	qUnmute        = `DELETE FROM mutes WHERE muter_id = ? AND muted_id = ?`
	qTies          = `SELECT
		EXISTS (SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = u.id),
		EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = ? AND target_id = u.id),
		EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = u.id),
		EXISTS (SELECT 1 FROM blocks WHERE blocked_id = ? AND blocker_id = u.id),
		EXISTS (SELECT 1 FROM mutes WHERE muter_id = ? AND muted_id = u.id)
		FROM users u WHERE u.id = ?`
)

func (s *Store) Block(ctx context.Context, blockerID, blockedID string, at time.Time, max int) (bool, error) {
	created, err := s.addEdge(ctx, "block", qBlock, qCountBlocks, blockerID, blockedID, at, max, func(t tx) error {
		if _, err := t.exec(ctx, qBlockFollows, blockerID, blockedID, blockedID, blockerID); err != nil {
			return err
		}
		_, err := t.exec(ctx, qBlockRequests, blockerID, blockedID, blockedID, blockerID)
		return err
	})
	return created, err
}

func (s *Store) Mute(ctx context.Context, muterID, mutedID string, at time.Time, max int) (bool, error) {
	return s.addEdge(ctx, "mute", qMute, qCountMutes, muterID, mutedID, at, max, nil)
}

// addEdge inserts the edge from -> to with insert, refuses it when from
// would then have more than max edges (counted with count), and runs
// then (when not nil) in the same transaction, new edge or not.
func (s *Store) addEdge(ctx context.Context, op, insert, count, from, to string, at time.Time, max int, then func(tx) error) (bool, error) {
	var created bool
	err := s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, insert, from, to, ms(at))
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = k > 0
		if created {
			var n int
			if err := t.queryRow(ctx, count, from).Scan(&n); err != nil {
				return err
			}
			if n > max {
				return gram.ErrConflict
			}
		}
		if then != nil {
			return then(t)
		}
		return nil
	})
	if err != nil && s.d.isForeignKey(err) {
		return false, s.wrap(op, gram.ErrNotFound)
	}
	return created && err == nil, s.wrap(op, err)
}

func (s *Store) Unblock(ctx context.Context, blockerID, blockedID string) (bool, error) {
	return s.removeEdge(ctx, "unblock", qUnblock, blockerID, blockedID)
}

func (s *Store) Unmute(ctx context.Context, muterID, mutedID string) (bool, error) {
	return s.removeEdge(ctx, "unmute", qUnmute, muterID, mutedID)
}

// removeEdge deletes one edge and reports whether there was one.
func (s *Store) removeEdge(ctx context.Context, op, q, from, to string) (bool, error) {
	res, err := s.exec(ctx, q, from, to)
	if err != nil {
		return false, s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.wrap(op, err)
}

// edgesQuery reads a page of the edges of table whose owner column is
// owner, newest first, walking the (owner, created_at, other) index
// backwards from the cursor.
func edgesQuery(table, owner, other string, cursor bool) string {
	q := `SELECT ` + other + `, created_at FROM ` + table + ` WHERE ` + owner + ` = ?`
	if cursor {
		q += ` AND (created_at, ` + other + `) < (?, ?)`
	}
	return q + ` ORDER BY created_at DESC, ` + other + ` DESC LIMIT ?`
}

func scanEdge(r scanner) (gram.Edge, error) {
	var (
		e  gram.Edge
		at int64
	)
	err := r.Scan(&e.UserID, &at)
	e.CreatedAt = fromMS(at)
	return e, err
}

func (s *Store) edges(ctx context.Context, op, table, owner, other, id string, page gram.Page) ([]gram.Edge, error) {
	out, err := queryAll(ctx, s, scanEdge, edgesQuery(table, owner, other, page.HasCursor()), pageArgs(page, id)...)
	return out, s.wrap(op, err)
}

func (s *Store) BlockedUsers(ctx context.Context, userID string, page gram.Page) ([]gram.Edge, error) {
	return s.edges(ctx, "blocked users", "blocks", "blocker_id", "blocked_id", userID, page)
}

func (s *Store) MutedUsers(ctx context.Context, userID string, page gram.Page) ([]gram.Edge, error) {
	return s.edges(ctx, "muted users", "mutes", "muter_id", "muted_id", userID, page)
}

func (s *Store) Ties(ctx context.Context, viewerID, ownerID string) (gram.Ties, error) {
	var t gram.Ties
	err := s.queryRow(ctx, qTies, viewerID, viewerID, viewerID, viewerID, viewerID, ownerID).
		Scan(&t.Follows, &t.Requested, &t.Blocks, &t.BlockedBy, &t.Mutes)
	return t, s.wrap("ties", err)
}

// A shield reads the viewer's own edges first, in one statement the
// store prepares once: the accounts the viewer blocks, those blocking the
// viewer and those the viewer mutes, up to shieldAll of them, and keeps
// those among the ids. A viewer with more edges than that (rare: blocked
// by thousands) is answered by lookups of the ids instead, shieldChunk at
// a time, each bound three times.
const (
	shieldAll   = 1000
	shieldChunk = 300
	qShieldAll  = `SELECT blocked_id, 'b' FROM blocks WHERE blocker_id = ?
		UNION ALL SELECT blocker_id, 'b' FROM blocks WHERE blocked_id = ?
		UNION ALL SELECT muted_id, 'm' FROM mutes WHERE muter_id = ? LIMIT ?`
)

// shieldQuery finds, among n ids, those blocked either way with the
// viewer ('b') and those the viewer mutes ('m'): three primary-key or
// reverse-index lookups per id.
func shieldQuery(n int) string {
	in := placeholders(n)
	return `SELECT blocked_id, 'b' FROM blocks WHERE blocker_id = ? AND blocked_id IN (` + in + `)
		UNION ALL SELECT blocker_id, 'b' FROM blocks WHERE blocked_id = ? AND blocker_id IN (` + in + `)
		UNION ALL SELECT muted_id, 'm' FROM mutes WHERE muter_id = ? AND muted_id IN (` + in + `)`
}

func shieldArgs(viewerID string, ids []string) []any {
	args := make([]any, 0, 3*len(ids)+3)
	for range 3 {
		args = append(append(args, viewerID), anySlice(ids)...)
	}
	return args
}

// scanMark reads an edge of a shield: the other account and its kind.
func scanMark(r scanner) ([2]string, error) {
	var m [2]string
	return m, r.Scan(&m[0], &m[1])
}

func (s *Store) Shield(ctx context.Context, viewerID string, ids []string) (gram.Shield, error) {
	most := shieldAll
	if s.shieldAll > 0 {
		most = s.shieldAll
	}
	marks, err := queryAll(ctx, s, scanMark, qShieldAll, viewerID, viewerID, viewerID, most+1)
	if err != nil {
		return gram.Shield{}, s.wrap("shield", err)
	}
	if len(marks) > most {
		marks = marks[:0]
		ids = slices.Compact(slices.Sorted(slices.Values(ids)))
		for chunk := range slices.Chunk(ids, shieldChunk) {
			more, err := queryAll(ctx, s, scanMark, shieldQuery(len(chunk)), shieldArgs(viewerID, chunk)...)
			if err != nil {
				return gram.Shield{}, s.wrap("shield", err)
			}
			marks = append(marks, more...)
		}
	}
	wanted := make(map[string]bool, len(ids))
	for _, id := range ids {
		wanted[id] = true
	}
	sh := gram.Shield{Blocked: map[string]bool{}, Muted: map[string]bool{}}
	for _, m := range marks {
		switch {
		case !wanted[m[0]]:
		case m[1] == "b":
			sh.Blocked[m[0]] = true
		default:
			sh.Muted[m[0]] = true
		}
	}
	return sh, nil
}
