package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var likeTests = []test{
	{"ToggleLike/OnOff", testToggleLike},
	{"ToggleLike/ErrNotFound", testToggleLikeNotFound},
	{"ToggleLike/RelikeNotifiesOnce", testRelike},
	{"ToggleLike/Concurrent50", testToggleLikeConcurrent},
	{"LikerIDs/OldestFirstLimit", testLikerIDs},
	{"LikerIDs/ManyPostsRepeatedIDs", testLikerIDsMany},
}

func testToggleLike(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, T0)
	n := likeNote(p, bob, At(time.Second))
	liked, err := s.ToggleLike(t.Context(), p.ID, bob.ID, At(time.Second), n)
	if err != nil || !liked {
		t.Fatalf("ToggleLike = %v, %v; want true, nil", liked, err)
	}
	wantCounts(t, s, p.ID, 1, 0)
	ns, err := s.NotificationsFor(t.Context(), alice.ID, 10)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{n}, ns); diff != "" {
		t.Errorf("NotificationsFor (-want +got):\n%s", diff)
	}
	// The author likes their own post with no notification.
	liked, err = s.ToggleLike(t.Context(), p.ID, alice.ID, At(2*time.Second), nil)
	if err != nil || !liked {
		t.Fatalf("ToggleLike(own, nil) = %v, %v; want true, nil", liked, err)
	}
	wantCounts(t, s, p.ID, 2, 0)
	wantNotifications(t, s, alice.ID, 1)
	Like(t, s, p, bob, At(3*time.Second), false)
	Like(t, s, p, alice, At(3*time.Second), false)
	wantCounts(t, s, p.ID, 0, 0)
	got, err := s.LikerIDs(t.Context(), []string{p.ID}, 10)
	noErr(t, "LikerIDs", err)
	if len(got) != 0 {
		t.Errorf("LikerIDs after unlikes = %v; want empty", got)
	}
}

func testToggleLikeNotFound(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	ghost := &gram.Post{ID: missingID(), AuthorID: alice.ID}
	_, err := s.ToggleLike(t.Context(), ghost.ID, alice.ID, T0, likeNote(ghost, alice, T0))
	wantErr(t, "ToggleLike(missing post)", err, gram.ErrNotFound)
	wantNotifications(t, s, alice.ID, 0)
}

// testRelike: like, unlike, like again gives one notification, not two.
func testRelike(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, T0)
	Like(t, s, p, bob, At(time.Second), true)
	Like(t, s, p, bob, At(2*time.Second), false)
	Like(t, s, p, bob, At(3*time.Second), true)
	wantCounts(t, s, p.ID, 1, 0)
	wantNotifications(t, s, alice.ID, 1)
	// A like of another post is another notification.
	Like(t, s, NewPost(t, s, alice, T0), bob, At(4*time.Second), true)
	wantNotifications(t, s, alice.ID, 2)
}

// testToggleLikeConcurrent: 50 users toggle at once (count 50), then all
// toggle again at once (count 0). No like is lost or duplicated.
func testToggleLikeConcurrent(t *testing.T, s gram.Store) {
	author := NewUser(t, s, "author")
	p := NewPost(t, s, author, T0)
	fans := make([]*gram.User, 50)
	for i := range fans {
		fans[i] = NewUser(t, s, "fan"+itoa(i))
	}
	toggleAll := func(want bool) {
		t.Helper()
		var wg sync.WaitGroup
		for _, f := range fans {
			wg.Go(func() {
				liked, err := s.ToggleLike(t.Context(), p.ID, f.ID, At(time.Second), likeNote(p, f, At(time.Second)))
				if err != nil || liked != want {
					t.Errorf("ToggleLike = %v, %v; want %v, nil", liked, err, want)
				}
			})
		}
		wg.Wait()
	}
	toggleAll(true)
	wantCounts(t, s, p.ID, 50, 0)
	got, err := s.LikerIDs(t.Context(), []string{p.ID}, 100)
	noErr(t, "LikerIDs", err)
	if diff := cmp.Diff(sortedIDs(fans), sortStrings(got[p.ID])); diff != "" {
		t.Errorf("LikerIDs: want each fan once (-want +got):\n%s", diff)
	}
	wantNotifications(t, s, author.ID, 50)
	toggleAll(false)
	wantCounts(t, s, p.ID, 0, 0)
	got, err = s.LikerIDs(t.Context(), []string{p.ID}, 100)
	noErr(t, "LikerIDs", err)
	if len(got) != 0 {
		t.Errorf("LikerIDs after unliking = %v; want empty", got)
	}
	toggleAll(true)
	wantNotifications(t, s, author.ID, 50)
}

func testLikerIDs(t *testing.T, s gram.Store) {
	author := NewUser(t, s, "author")
	p, q, none := NewPost(t, s, author, T0), NewPost(t, s, author, T0), NewPost(t, s, author, T0)
	var want []string
	for i := range 5 {
		u := NewUser(t, s, "fan"+itoa(i))
		// Liked in reverse name order: oldest like first is not id order.
		Like(t, s, p, u, At(time.Duration(10-i)*time.Second), true)
		want = append([]string{u.ID}, want...)
	}
	Like(t, s, q, author, T0, true)
	got, err := s.LikerIDs(t.Context(), []string{p.ID, q.ID, none.ID, missingID()}, 3)
	noErr(t, "LikerIDs", err)
	if diff := cmp.Diff(map[string][]string{p.ID: want[:3], q.ID: {author.ID}}, got); diff != "" {
		t.Errorf("LikerIDs (-want +got):\n%s", diff)
	}
	got, err = s.LikerIDs(t.Context(), nil, 3)
	noErr(t, "LikerIDs(nil)", err)
	if len(got) != 0 {
		t.Errorf("LikerIDs(nil) = %v", got)
	}
}

// testLikerIDsMany asks for more posts than one statement of the SQL
// store carries, with every id twice: each post's likers come once, in
// order, within the limit.
func testLikerIDsMany(t *testing.T, s gram.Store) {
	author, fan := NewUser(t, s, "author"), NewUser(t, s, "fan")
	want := map[string][]string{}
	var ids []string
	for i := range 130 {
		p := NewPost(t, s, author, At(time.Duration(i)*time.Second))
		Like(t, s, p, fan, At(time.Hour), true)
		Like(t, s, p, author, At(time.Duration(i)*time.Second), true)
		want[p.ID] = []string{author.ID}
		ids = append(ids, p.ID, p.ID)
	}
	got, err := s.LikerIDs(t.Context(), ids, 1)
	noErr(t, "LikerIDs", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LikerIDs (-want +got):\n%s", diff)
	}
}
