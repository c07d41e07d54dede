package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// dataset generates the rows. Users and posts are kept in memory (their
// ids are referenced by later tables); likes and follows are generated
// as they are loaded. Likes of one post come from distinct users by
// construction (a stride through the users), so no set is needed and the
// post's like count is known when the post is written.
type dataset struct {
	c        config
	rng      *rand.Rand
	userIDs  []string
	postIDs  []string
	postAt   []int64 // created_at, ms
	postLike []int32 // number of likes each post gets
}

func newDataset(c config) *dataset {
	d := &dataset{c: c, rng: rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15))}
	year := int64(365 * 24 * time.Hour / time.Millisecond)
	now := c.now.UnixMilli()
	d.userIDs = make([]string, c.users)
	for i := range d.userIDs {
		d.userIDs[i] = gram.NewID(time.UnixMilli(now - 2*year + d.rng.Int64N(year)))
	}
	// Rows go in primary-key order: B-tree appends, not random inserts.
	slices.Sort(d.userIDs)
	d.postIDs = make([]string, c.posts)
	d.postAt = make([]int64, c.posts)
	d.postLike = make([]int32, c.posts)
	mean := float64(c.likes) / math.Max(1, float64(c.posts))
	for i := range d.postIDs {
		d.postAt[i] = now - d.rng.Int64N(year)
		d.postIDs[i] = gram.NewID(time.UnixMilli(d.postAt[i]))
		// Exponentially distributed: most posts get a few likes, some many.
		k := int32(d.rng.ExpFloat64() * mean)
		d.postLike[i] = min(k, int32(c.users))
	}
	d.sortPosts()
	return d
}

// sortPosts orders the posts (and their times and like counts) by id.
func (d *dataset) sortPosts() {
	idx := make([]int, len(d.postIDs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(d.postIDs[a], d.postIDs[b]) })
	ids, at, likes := slices.Clone(d.postIDs), slices.Clone(d.postAt), slices.Clone(d.postLike)
	for i, j := range idx {
		d.postIDs[i], d.postAt[i], d.postLike[i] = ids[j], at[j], likes[j]
	}
}

// source is one table's rows, in the shape pgx.CopyFromSource wants.
type source struct {
	table string
	cols  []string
	next  func() ([]any, bool)
	row   []any
}

func (s *source) Next() bool {
	var ok bool
	s.row, ok = s.next()
	return ok
}
func (s *source) Values() ([]any, error) { return s.row, nil }
func (s *source) Err() error             { return nil }

func (d *dataset) sources() []*source {
	return []*source{d.users(), d.posts(), d.likes(), d.follows()}
}

func (d *dataset) users() *source {
	i := 0
	return &source{table: "users", cols: []string{"id", "username", "email", "firstname", "lastname", "bio",
		"password_hash", "photo_key", "role", "active", "created_at", "updated_at"},
		next: func() ([]any, bool) {
			if i == len(d.userIDs) {
				return nil, false
			}
			name := fmt.Sprintf("user%07d", i)
			at := d.c.now.UnixMilli() - int64(i)
			row := []any{d.userIDs[i], name, name + "@example.com", "First", "Last", "", "seed-no-login", "",
				gram.RoleUser, i%50 != 0, at, at} // 2% deactivated
			i++
			return row, true
		}}
}

func (d *dataset) posts() *source {
	i := 0
	return &source{table: "posts", cols: []string{"id", "author_id", "caption", "photo_key", "created_at", "like_count", "comment_count"},
		next: func() ([]any, bool) {
			if i == len(d.postIDs) {
				return nil, false
			}
			// Authors are skewed: a low user number posts more often.
			a := int(float64(len(d.userIDs)) * math.Pow(d.rng.Float64(), 2))
			row := []any{d.postIDs[i], d.userIDs[a], "seeded post", "posts/" + d.postIDs[i] + ".jpg", d.postAt[i], d.postLike[i], 0}
			i++
			return row, true
		}}
}

// likes walks post by post; like j of post p is by user
// (start + j*stride) mod users, distinct for j < users when stride is
// coprime with the number of users.
func (d *dataset) likes() *source {
	n := len(d.userIDs)
	p, j, start, stride := 0, 0, 0, 1
	return &source{table: "likes", cols: []string{"post_id", "user_id", "created_at"},
		next: func() ([]any, bool) {
			for p < len(d.postIDs) && j >= int(d.postLike[p]) {
				p, j = p+1, 0
				start, stride = d.rng.IntN(n), coprime(d.rng, n)
			}
			if p == len(d.postIDs) {
				return nil, false
			}
			u := (start + j*stride) % n
			at := min(d.postAt[p]+d.rng.Int64N(7*24*3600*1000), d.c.now.UnixMilli())
			j++
			return []any{d.postIDs[p], d.userIDs[u], at}, true
		}}
}

// follows gives each user about follows/users followees: the users after
// it at a random offset, so never itself and never twice.
func (d *dataset) follows() *source {
	n := len(d.userIDs)
	per := min(d.c.follows/n, n-1)
	u, j, off := 0, 0, 1
	return &source{table: "follows", cols: []string{"follower_id", "followee_id", "created_at"},
		next: func() ([]any, bool) {
			if per == 0 {
				return nil, false
			}
			if j == per {
				u, j, off = u+1, 0, 1+d.rng.IntN(n-per)
			}
			if u == n {
				return nil, false
			}
			v := (u + off + j) % n
			j++
			return []any{d.userIDs[u], d.userIDs[v], d.c.now.UnixMilli() - d.rng.Int64N(1e10)}, true
		}}
}

// coprime returns a random stride in [1, n) sharing no factor with n.
func coprime(r *rand.Rand, n int) int {
	if n < 3 {
		return 1
	}
	for {
		s := 1 + r.IntN(n-1)
		if gcd(s, n) == 1 {
			return s
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
