package seed

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Source is one table's rows, in the shape pgx.CopyFromSource wants.
type Source struct {
	Table string
	Cols  []string
	Total int64 // rows it will produce
	done  atomic.Int64
	next  func() ([]any, bool)
	row   []any
}

// Done is the number of rows produced so far (safe to read while loading).
func (s *Source) Done() int64 { return s.done.Load() }

// Next advances to the next row.
func (s *Source) Next() bool {
	var ok bool
	s.row, ok = s.next()
	if ok {
		s.done.Add(1)
	}
	return ok
}

// Values returns the current row.
func (s *Source) Values() ([]any, error) { return s.row, nil }

// Err is always nil: generating rows cannot fail.
func (s *Source) Err() error { return nil }

// sources lists the tables in an order that satisfies the foreign keys.
func (d *dataset) sources() []*Source {
	return []*Source{d.users(), d.posts(), d.likes(), d.comments(), d.follows(), d.stories()}
}

// Username is the name of seeded user i (0 <= i < users). Low numbers are
// the popular accounts: they post and are followed the most.
func Username(i int) string { return fmt.Sprintf("user%07d", i) }

// Active reports whether seeded user i is active (2% are deactivated).
func Active(i int) bool { return i%50 != 0 }

func (d *dataset) users() *Source {
	i := 0
	return &Source{Table: "users", Total: int64(len(d.userIDs)), Cols: []string{"id", "username", "email", "firstname",
		"lastname", "bio", "password_hash", "photo_key", "role", "active", "created_at", "updated_at"},
		next: func() ([]any, bool) {
			if i == len(d.userIDs) {
				return nil, false
			}
			name := Username(i)
			at := d.c.Now.UnixMilli() - int64(i)
			row := []any{d.userIDs[i], name, name + "@example.com", "First", "Last", "", d.c.PasswordHash, "",
				gram.RoleUser, Active(i), at, at}
			i++
			return row, true
		}}
}

func (d *dataset) posts() *Source {
	i := 0
	return &Source{Table: "posts", Total: int64(len(d.postIDs)), Cols: []string{"id", "author_id", "caption",
		"photo_key", "created_at", "like_count", "comment_count"},
		next: func() ([]any, bool) {
			if i == len(d.postIDs) {
				return nil, false
			}
			author := d.userIDs[d.postAuthor[i]]
			key := gram.UserPrefix(author) + "posts/" + d.postIDs[i] + ".jpg"
			row := []any{d.postIDs[i], author, fmt.Sprintf("seeded post %d", i), key, d.postAt[i], d.postLike[i], d.postComment[i]}
			i++
			return row, true
		}}
}

// likes walks post by post; like j of post p is by user
// (start + j*stride) mod users, distinct for j < users when stride is
// coprime with the number of users.
func (d *dataset) likes() *Source {
	n := len(d.userIDs)
	p, j, start, stride := 0, 0, 0, 1
	return &Source{Table: "likes", Total: sum(d.postLike), Cols: []string{"post_id", "user_id", "created_at"},
		next: func() ([]any, bool) {
			for p < len(d.postIDs) && j >= int(d.postLike[p]) {
				p, j = p+1, 0
				start, stride = d.rng.IntN(n), coprime(d.rng, n)
			}
			if p == len(d.postIDs) {
				return nil, false
			}
			u := (start + j*stride) % n
			j++
			return []any{d.postIDs[p], d.userIDs[u], d.after(d.postAt[p])}, true
		}}
}

// comments walks post by post, by random users.
func (d *dataset) comments() *Source {
	p, j := 0, 0
	return &Source{Table: "comments", Total: sum(d.postComment), Cols: []string{"id", "post_id", "author_id", "body", "created_at"},
		next: func() ([]any, bool) {
			for p < len(d.postIDs) && j >= int(d.postComment[p]) {
				p, j = p+1, 0
			}
			if p == len(d.postIDs) {
				return nil, false
			}
			at := d.after(d.postAt[p])
			j++
			return []any{gram.NewID(time.UnixMilli(at)), d.postIDs[p], d.userIDs[d.rng.IntN(len(d.userIDs))],
				fmt.Sprintf("Nice one! (%d)", j), at}, true
		}}
}

// after returns a time in the week after at, not in the future.
func (d *dataset) after(at int64) int64 {
	return min(at+d.rng.Int64N(7*24*3600*1000), d.c.Now.UnixMilli())
}

// stories are by skewed users, created in the last 30 hours: those older
// than a day are expired and wait for the sweeper.
func (d *dataset) stories() *Source {
	i := 0
	return &Source{Table: "stories", Total: int64(d.c.Stories), Cols: []string{"id", "user_id", "photo_key", "created_at", "expires_at"},
		next: func() ([]any, bool) {
			if i == d.c.Stories {
				return nil, false
			}
			i++
			user := d.userIDs[int(float64(len(d.userIDs))*d.rng.Float64()*d.rng.Float64())]
			at := d.c.Now.UnixMilli() - d.rng.Int64N(30*3600*1000)
			id := gram.NewID(time.UnixMilli(at))
			return []any{id, user, gram.UserPrefix(user) + "stories/" + id + ".jpg", at, at + gram.StoryTTL.Milliseconds()}, true
		}}
}

// follows gives each user follows/users followees drawn from a Zipf
// distribution over the user numbers, so a few accounts have most of the
// followers, as on a real network. Never itself, never twice.
func (d *dataset) follows() *Source {
	n := len(d.userIDs)
	per := min(d.c.Follows/n, n-1)
	zipf := rand.NewZipf(d.rng, 1.1, 1, uint64(n-1))
	u := 0
	var pending [][]any
	return &Source{Table: "follows", Total: int64(n * per), Cols: []string{"follower_id", "followee_id", "created_at"},
		next: func() ([]any, bool) {
			for len(pending) == 0 {
				if per == 0 || u == n {
					return nil, false
				}
				pending = d.followRows(u, d.followees(u, per, zipf))
				u++
			}
			row := pending[0]
			pending = pending[1:]
			return row, true
		}}
}

// followees picks k distinct users other than u, Zipf-distributed; when
// the popular ones are taken it falls back to a scan from a random point.
func (d *dataset) followees(u, k int, zipf *rand.Zipf) []int {
	n := len(d.userIDs)
	seen := make(map[int]bool, k+1)
	seen[u] = true
	out := make([]int, 0, k)
	for len(out) < k {
		v := -1
		for range 32 {
			if c := int(zipf.Uint64()); !seen[c] {
				v = c
				break
			}
		}
		for c := d.rng.IntN(n); v < 0; c = (c + 1) % n {
			if !seen[c] {
				v = c
			}
		}
		seen[v] = true
		out = append(out, v)
	}
	slices.Sort(out) // primary-key order within the follower
	return out
}

func (d *dataset) followRows(u int, vs []int) [][]any {
	rows := make([][]any, len(vs))
	for i, v := range vs {
		rows[i] = []any{d.userIDs[u], d.userIDs[v], d.c.Now.UnixMilli() - d.rng.Int64N(1e10)}
	}
	return rows
}

func sum(s []int32) int64 {
	var t int64
	for _, v := range s {
		t += int64(v)
	}
	return t
}
