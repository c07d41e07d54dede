package storetest

import (
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var pageTests = []test{
	{"Feed/KeysetPagesStable", testFeedPages},
	{"PostsByUser/KeysetPagesStable", testPostsByUserPages},
}

// pageWorld creates 12 posts, three per timestamp so that page
// boundaries fall inside ties, alternating between the given authors.
func pageWorld(t *testing.T, s gram.Store, authors ...*gram.User) []*gram.Post {
	t.Helper()
	var all []*gram.Post
	for i := range 12 {
		all = append(all, NewPost(t, s, authors[i%len(authors)], At(time.Duration(i/3)*time.Second)))
	}
	return all
}

// walkPosts reads pages of size limit until a short page, calling between
// after each page, and returns everything read.
func walkPosts(t *testing.T, limit int, fetch func(gram.Page) ([]*gram.Post, error), between func(page int)) []*gram.Post {
	t.Helper()
	var out []*gram.Post
	page := gram.Page{Limit: limit}
	for i := 0; ; i++ {
		got, err := fetch(page)
		noErr(t, "page", err)
		if len(got) > limit {
			t.Fatalf("page %d has %d posts; limit %d", i, len(got), limit)
		}
		out = append(out, got...)
		if len(got) < limit || i > 50 {
			return out
		}
		last := got[len(got)-1]
		page = gram.Page{Limit: limit, CursorAt: last.CreatedAt, CursorID: last.ID}
		between(i)
	}
}

// checkWalk: read is strictly newest first (so nothing repeats) and holds
// every post of want (so nothing was skipped).
func checkWalk(t *testing.T, read, want []*gram.Post) {
	t.Helper()
	for i := 1; i < len(read); i++ {
		a, b := read[i-1], read[i]
		if !(b.CreatedAt.Before(a.CreatedAt) || b.CreatedAt.Equal(a.CreatedAt) && b.ID < a.ID) {
			t.Errorf("pages out of order or repeating at %d: (%v, %s) then (%v, %s)", i, a.CreatedAt, a.ID, b.CreatedAt, b.ID)
		}
	}
	seen := map[string]bool{}
	for _, p := range read {
		seen[p.ID] = true
	}
	for _, p := range want {
		if !seen[p.ID] {
			t.Errorf("post (%v, %s) was skipped", p.CreatedAt, p.ID)
		}
	}
}

func testFeedPages(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	want := pageWorld(t, s, alice, bob)
	read := walkPosts(t, 5, func(p gram.Page) ([]*gram.Post, error) { return s.Feed(t.Context(), "", p) }, func(page int) {
		// Between pages: newer posts, posts in a tie, and a backdated one
		// older than any before it (which belongs after the cursor, so it
		// must show up).
		NewPost(t, s, alice, At(time.Hour))
		NewPost(t, s, bob, At(time.Second))
		want = append(want, NewPost(t, s, bob, At(-time.Hour-time.Duration(page)*time.Minute)))
	})
	checkWalk(t, read, want)
	if len(read) < len(want) {
		t.Errorf("read %d posts; want at least %d", len(read), len(want))
	}
}

func testPostsByUserPages(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	want := pageWorld(t, s, alice)
	pageWorld(t, s, bob)
	read := walkPosts(t, 4, func(p gram.Page) ([]*gram.Post, error) { return s.PostsByUser(t.Context(), alice.ID, p) }, func(page int) {
		NewPost(t, s, alice, At(time.Hour))
		want = append(want, NewPost(t, s, alice, At(-time.Hour-time.Duration(page)*time.Minute)))
	})
	checkWalk(t, read, want)
	for _, p := range read {
		if p.AuthorID != alice.ID {
			t.Errorf("PostsByUser returned bob's post %s", p.ID)
		}
	}
}
