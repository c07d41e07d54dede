package seed

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// dataset generates the rows. Users and posts are kept in memory (their
// ids are referenced by later tables); likes, comments, follows and
// stories are generated as they are loaded. Likes of one post come from
// distinct users by construction (a stride through the users), so no set
// is needed, and each post's like and comment counts are drawn before the
// post is written, so the counters match the rows loaded later.
type dataset struct {
	c           Config
	rng         *rand.Rand
	userIDs     []string
	postIDs     []string
	postAuthor  []int32 // index into userIDs
	postAt      []int64 // created_at, ms
	postLike    []int32 // number of likes each post gets
	postComment []int32 // number of comments each post gets
}

const year = int64(365 * 24 * time.Hour / time.Millisecond)

func newDataset(c Config) *dataset {
	d := &dataset{c: c, rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))}
	now := c.Now.UnixMilli()
	d.userIDs = make([]string, c.Users)
	for i := range d.userIDs {
		d.userIDs[i] = gram.NewID(time.UnixMilli(now - 2*year + d.rng.Int64N(year)))
	}
	// Rows go in primary-key order: B-tree appends, not random inserts.
	// User i is named Username(i).
	slices.Sort(d.userIDs)
	d.makePosts()
	return d
}

func (d *dataset) makePosts() {
	c, now := d.c, d.c.Now.UnixMilli()
	d.postIDs = make([]string, c.Posts)
	d.postAuthor = make([]int32, c.Posts)
	d.postAt = make([]int64, c.Posts)
	d.postLike = make([]int32, c.Posts)
	d.postComment = make([]int32, c.Posts)
	likeMean := float64(c.Likes) / math.Max(1, float64(c.Posts))
	commentMean := float64(c.Comments) / math.Max(1, float64(c.Posts))
	for i := range d.postIDs {
		d.postAt[i] = now - d.rng.Int64N(year)
		d.postIDs[i] = gram.NewID(time.UnixMilli(d.postAt[i]))
		// Authors are skewed: a low user number posts more often.
		d.postAuthor[i] = int32(float64(c.Users) * math.Pow(d.rng.Float64(), 2))
		// Exponentially distributed: most posts get a few likes, some many.
		d.postLike[i] = min(d.draw(likeMean), int32(c.Users))
		d.postComment[i] = d.draw(commentMean)
	}
	d.sortPosts()
}

// draw returns an exponentially distributed count with the given mean,
// rounded at random so that the mean survives the rounding.
func (d *dataset) draw(mean float64) int32 {
	return int32(d.rng.ExpFloat64()*mean + d.rng.Float64())
}

// sortPosts orders the posts (and their attributes) by id.
func (d *dataset) sortPosts() {
	idx := make([]int, len(d.postIDs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(d.postIDs[a], d.postIDs[b]) })
	d.postIDs = permute(d.postIDs, idx)
	d.postAuthor = permute(d.postAuthor, idx)
	d.postAt = permute(d.postAt, idx)
	d.postLike = permute(d.postLike, idx)
	d.postComment = permute(d.postComment, idx)
}

func permute[T any](s []T, idx []int) []T {
	out := make([]T, len(s))
	for i, j := range idx {
		out[i] = s[j]
	}
	return out
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
