package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// homeAuthors is the set of authors of a home feed: the user's followees
// and the user (UNION: a follow of oneself counts once) that the user may
// have in a feed (listedAuthor: active, no block either way, not muted),
// a few index probes each, before any post is read. Arguments: the
// user's id twice, then listedArgs.
var homeAuthors = `SELECT a.id FROM (SELECT followee_id AS id FROM follows WHERE follower_id = ?
	UNION SELECT id FROM users WHERE id = ?) a WHERE ` + listedAuthor("a.id", true)

// homeQuery is the home feed read on request (fan-out on read): for each
// author, at most a page of their newest posts before the cursor, read
// from the (author_id, created_at, id) index; of those the newest page;
// then those posts by primary key, which Go puts in order (a sort of a
// page, which PostgreSQL would otherwise plan around). So a page reads at most authors x
// limit index entries, whatever its depth; no table of timelines is kept
// (docs/benchmarks.md has the numbers of both designs).
//
// PostgreSQL bounds each author's walk with LATERAL ... LIMIT. SQLite has
// no LATERAL: there each author's walk is a range of the index from the
// cursor down to the created_at of the author's limit-th post before it
// (a correlated subquery, itself a walk of at most limit entries;
// 0 when the author has fewer), which may read a few more posts at a tie
// but never more than a page and its ties.
//
// Arguments: homeArgs.
func homeQuery(dialect string, cursor bool) string {
	before := func(t string) string {
		if !cursor {
			return ""
		}
		return ` AND (` + t + `.created_at, ` + t + `.id) < (?, ?)`
	}
	var inner string
	if dialect == "postgres" {
		inner = `SELECT h.created_at, h.id FROM (` + homeAuthors + `) a CROSS JOIN LATERAL (
			SELECT q.created_at, q.id FROM posts q WHERE q.author_id = a.id` + before("q") + `
			ORDER BY q.created_at DESC, q.id DESC LIMIT ?) h
		ORDER BY h.created_at DESC, h.id DESC LIMIT ?`
	} else {
		inner = `SELECT q.created_at, q.id FROM (` + homeAuthors + `) a CROSS JOIN posts q ON q.author_id = a.id
		WHERE q.created_at >= COALESCE((SELECT r.created_at FROM posts r WHERE r.author_id = a.id` + before("r") + `
			ORDER BY r.created_at DESC, r.id DESC LIMIT 1 OFFSET ?), 0)` + before("q") + `
		ORDER BY q.created_at DESC, q.id DESC LIMIT ?`
	}
	return `SELECT ` + postColumns + ` FROM (` + inner + `) k JOIN posts p ON p.id = k.id`
}

// homeArgs are the arguments of homeQuery, in the order of its marks.
func homeArgs(dialect, userID string, page gram.Page) []any {
	args := append([]any{userID, userID}, listedArgs(userID)...)
	var cur []any
	if page.HasCursor() {
		cur = []any{ms(page.CursorAt), page.CursorID}
	}
	if dialect == "postgres" {
		args = append(args, cur...)
		return append(args, page.Limit, page.Limit)
	}
	args = append(args, cur...)
	args = append(args, page.Limit-1)
	args = append(args, cur...)
	return append(args, page.Limit)
}

func (s *Store) HomeFeed(ctx context.Context, userID string, page gram.Page) ([]*gram.Post, error) {
	if page.Limit < 1 {
		return nil, nil
	}
	out, err := queryAll(ctx, s, scanPost, homeQuery(s.d.name, page.HasCursor()), homeArgs(s.d.name, userID, page)...)
	slices.SortFunc(out, func(a, b *gram.Post) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(b.ID, a.ID))
	})
	return out, s.wrap("home feed", err)
}
