package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var homeTests = []test{
	{"HomeFeed/FolloweesAndSelfNewestFirst", testHomeFeed},
	{"HomeFeed/KeysetPagesStable", testHomeFeedPages},
	{"HomeFeed/OneProlificAuthorAndTies", testHomeFeedProlific},
	{"HomeFeed/InactiveAuthorsLeaveFullPages", testHomeFeedInactive},
	{"HomeFeed/UnknownUserEmpty", testHomeFeedUnknown},
	{"HomeFeed/MutedAndBlockedLeave", testHomeFeedSafety},
}

func homeFeed(t *testing.T, s gram.Store, u *gram.User, page gram.Page) []*gram.Post {
	t.Helper()
	got, err := s.HomeFeed(t.Context(), u.ID, page)
	noErr(t, "HomeFeed", err)
	return got
}

func wantPosts(t *testing.T, what string, got, want []*gram.Post) {
	t.Helper()
	if diff := cmp.Diff(postIDs(want), postIDs(got)); diff != "" {
		t.Errorf("%s (-want +got ids):\n%s", what, diff)
	}
}

func testHomeFeed(t *testing.T, s gram.Store) {
	alice, bob, carol, dave := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol"), NewUser(t, s, "dave")
	Follow(t, s, alice, bob, T0)
	Follow(t, s, alice, carol, T0)
	Follow(t, s, dave, alice, T0) // who follows alice does not matter
	var want []*gram.Post
	for i, u := range []*gram.User{alice, bob, carol, dave, bob, alice} {
		p := NewPost(t, s, u, At(time.Duration(i)*time.Minute))
		if u != dave {
			want = append(want, p)
		}
	}
	got := homeFeed(t, s, alice, gram.Page{Limit: 10})
	wantPosts(t, "HomeFeed(alice)", got, newestFirst(want))
	if len(got) > 0 && cmp.Diff(getPost(t, s, got[0].ID), got[0]) != "" {
		t.Errorf("HomeFeed post = %+v; want the stored post", got[0])
	}
	// Unfollowing takes carol out, at once.
	if _, err := s.Unfollow(t.Context(), alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	var left []*gram.Post
	for _, p := range want {
		if p.AuthorID != carol.ID {
			left = append(left, p)
		}
	}
	wantPosts(t, "HomeFeed(alice) after unfollowing carol", homeFeed(t, s, alice, gram.Page{Limit: 10}), newestFirst(left))
	// Someone who follows nobody sees their own posts only.
	wantPosts(t, "HomeFeed(carol)", homeFeed(t, s, carol, gram.Page{Limit: 10}), newestFirst(want[2:3]))
}

func testHomeFeedPages(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, bob, T0)
	want := pageWorld(t, s, alice, bob, carol)
	var mine []*gram.Post
	for _, p := range want {
		if p.AuthorID != carol.ID {
			mine = append(mine, p)
		}
	}
	read := walkPosts(t, 3, func(p gram.Page) ([]*gram.Post, error) { return s.HomeFeed(t.Context(), alice.ID, p) }, func(page int) {
		// Between pages: newer posts, one in a tie, and a backdated one
		// that belongs after the cursor.
		NewPost(t, s, bob, At(time.Hour))
		NewPost(t, s, alice, At(time.Second))
		mine = append(mine, NewPost(t, s, bob, At(-time.Hour-time.Duration(page)*time.Minute)))
	})
	checkWalk(t, read, mine)
	for _, p := range read {
		if p.AuthorID == carol.ID {
			t.Errorf("HomeFeed returned carol's post %s; alice does not follow her", p.ID)
		}
	}
}

// testHomeFeedProlific: each author's walk is cut at a page, so a page
// whose posts all come from one author, then pages across authors whose
// posts share timestamps, must still come out whole and in order.
func testHomeFeedProlific(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, bob, T0)
	Follow(t, s, alice, carol, T0)
	var all []*gram.Post
	for i := range 10 { // bob's ten newest come first
		all = append(all, NewPost(t, s, bob, At(time.Hour+time.Duration(i)*time.Second)))
	}
	for i := range 12 { // then bob and carol, four posts a timestamp
		u := []*gram.User{bob, carol}[i%2]
		all = append(all, NewPost(t, s, u, At(time.Duration(i/4)*time.Second)))
	}
	for _, limit := range []int{1, 3, 4, 7} {
		read := walkPosts(t, limit, func(p gram.Page) ([]*gram.Post, error) { return s.HomeFeed(t.Context(), alice.ID, p) }, func(int) {})
		wantPosts(t, "walk with limit "+itoa(limit), read, newestFirst(all))
	}
}

func testHomeFeedInactive(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, bob, T0)
	Follow(t, s, alice, carol, T0)
	older := []*gram.Post{NewPost(t, s, bob, At(time.Second)), NewPost(t, s, bob, At(2*time.Second))}
	for i := range 3 {
		NewPost(t, s, carol, At(time.Minute+time.Duration(i)*time.Second))
	}
	Deactivate(t, s, carol)
	// carol's three newer posts are skipped before the page is cut: the
	// page is full with bob's two.
	wantPosts(t, "HomeFeed with carol inactive", homeFeed(t, s, alice, gram.Page{Limit: 2}), newestFirst(older))
}

func testHomeFeedUnknown(t *testing.T, s gram.Store) {
	bob := NewUser(t, s, "bob")
	NewPost(t, s, bob, T0)
	got, err := s.HomeFeed(t.Context(), missingID(), gram.Page{Limit: 10})
	if err != nil || len(got) != 0 {
		t.Errorf("HomeFeed(unknown) = %d posts, %v; want none, nil", len(got), err)
	}
}

// testHomeFeedSafety: a muted followee leaves the home feed (unmuted, it
// is back), and so does a followee who blocks the reader (the block ends
// the follow, but the feed does not count on that), before the page is
// cut.
func testHomeFeedSafety(t *testing.T, s gram.Store) {
	alice, bob, carol, dave := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol"), NewUser(t, s, "dave")
	for _, u := range []*gram.User{bob, carol, dave} {
		Follow(t, s, alice, u, T0)
	}
	pb := NewPost(t, s, bob, At(time.Second))
	for i := range 3 {
		NewPost(t, s, carol, At(time.Minute+time.Duration(i)*time.Second))
		NewPost(t, s, dave, At(time.Hour+time.Duration(i)*time.Second))
	}
	if _, err := s.Mute(t.Context(), alice.ID, carol.ID, T0, 100); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Block(t.Context(), dave.ID, alice.ID, T0, 100); err != nil {
		t.Fatal(err)
	}
	wantPosts(t, "HomeFeed with carol muted and dave blocking", homeFeed(t, s, alice, gram.Page{Limit: 1}), []*gram.Post{pb})
	if _, err := s.Unmute(t.Context(), alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if got := homeFeed(t, s, alice, gram.Page{Limit: 10}); len(got) != 4 {
		t.Errorf("HomeFeed after unmuting carol = %d posts; want carol's 3 and bob's", len(got))
	}
}
