package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var postTests = []test{
	{"CreatePost/RoundTripZeroCounters", testCreatePost},
	{"PostByID/ErrNotFound", testPostNotFound},
	{"UpdatePostCaption/OK", testUpdateCaption},
	{"UpdatePostCaption/ErrNotFound", testUpdateCaptionNotFound},
	{"DeletePost/Cascade", testDeletePost},
	{"DeletePost/ErrNotFound", testDeletePostNotFound},
	{"Feed/NewestFirstTiesByID", testFeedOrder},
	{"Feed/HidesDeactivatedAuthors", testFeedHidesInactive},
	{"PostsByUser/OnlyTheUser", testPostsByUser},
}

func testCreatePost(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	in := &gram.Post{ID: gram.NewID(T0), AuthorID: u.ID, Caption: "sunset 🌅 <b>", PhotoKey: "posts/x.jpg",
		CreatedAt: At(987 * time.Millisecond).In(time.FixedZone("X", -7*3600)), LikeCount: 7, CommentCount: 3}
	noErr(t, "CreatePost", s.CreatePost(t.Context(), in))
	want := *in
	want.LikeCount, want.CommentCount = 0, 0
	got := getPost(t, s, in.ID)
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("PostByID (-want +got):\n%s", diff)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt location = %v; want UTC", got.CreatedAt.Location())
	}
}

func testPostNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "PostByID", errOf(s.PostByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testUpdateCaption(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	p := NewPost(t, s, u, T0)
	Like(t, s, p, u, T0, true)
	noErr(t, "UpdatePostCaption", s.UpdatePostCaption(t.Context(), p.ID, "new caption"))
	got := getPost(t, s, p.ID)
	if got.Caption != "new caption" || got.LikeCount != 1 || !got.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("after update: %+v; want the new caption, other fields kept", got)
	}
}

func testUpdateCaptionNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "UpdatePostCaption", s.UpdatePostCaption(t.Context(), missingID(), "x"), gram.ErrNotFound)
}

func testDeletePost(t *testing.T, s gram.Store) {
	ctx := t.Context()
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p, keep := NewPost(t, s, alice, T0), NewPost(t, s, alice, T0)
	Like(t, s, p, bob, T0, true)
	Like(t, s, keep, bob, T0, true)
	c := NewComment(t, s, p, bob, T0)
	NewComment(t, s, keep, bob, T0)
	Follow(t, s, bob, alice, T0)
	noErr(t, "DeletePost", s.DeletePost(ctx, p.ID, nil))
	wantErr(t, "PostByID", errOf(s.PostByID(ctx, p.ID)), gram.ErrNotFound)
	wantErr(t, "CommentByID", errOf(s.CommentByID(ctx, c.ID)), gram.ErrNotFound)
	likers, err := s.LikerIDs(ctx, []string{p.ID, keep.ID}, 10)
	noErr(t, "LikerIDs", err)
	if diff := cmp.Diff(map[string][]string{keep.ID: {bob.ID}}, likers); diff != "" {
		t.Errorf("LikerIDs (-want +got):\n%s", diff)
	}
	ns, err := s.NotificationsFor(ctx, alice.ID, 10)
	noErr(t, "NotificationsFor", err)
	if len(ns) != 3 { // keep's like and comment, the follow
		t.Errorf("alice has %d notifications; want 3", len(ns))
	}
	for _, n := range ns {
		if n.PostID == p.ID {
			t.Errorf("notification %+v of the deleted post survived", n)
		}
	}
	wantCounts(t, s, keep.ID, 1, 1)
}

func testDeletePostNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "DeletePost", s.DeletePost(t.Context(), missingID(), nil), gram.ErrNotFound)
}

func testFeedOrder(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	var all []*gram.Post
	for i := range 9 {
		// Three posts share each timestamp; ties are broken by id.
		all = append(all, NewPost(t, s, []*gram.User{alice, bob}[i%2], At(time.Duration(i/3)*time.Second)))
	}
	got, err := s.Feed(t.Context(), "", gram.Page{Limit: 100})
	noErr(t, "Feed", err)
	if diff := cmp.Diff(postIDs(newestFirst(all)), postIDs(got)); diff != "" {
		t.Errorf("Feed order (-want +got):\n%s", diff)
	}
	got, err = s.Feed(t.Context(), "", gram.Page{Limit: 4})
	noErr(t, "Feed", err)
	if len(got) != 4 {
		t.Errorf("Feed(limit 4) = %d posts", len(got))
	}
}

func testFeedHidesInactive(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	ap := NewPost(t, s, alice, At(time.Second))
	NewPost(t, s, bob, At(2*time.Second))
	NewPost(t, s, bob, At(3*time.Second))
	Deactivate(t, s, bob)
	got, err := s.Feed(t.Context(), "", gram.Page{Limit: 10})
	noErr(t, "Feed", err)
	if diff := cmp.Diff([]string{ap.ID}, postIDs(got)); diff != "" {
		t.Errorf("Feed with bob deactivated (-want +got):\n%s", diff)
	}
	if _, err := s.UpdateUser(t.Context(), bob.ID, func(u *gram.User) error { u.Active = true; return nil }); err != nil {
		t.Fatal(err)
	}
	got, err = s.Feed(t.Context(), "", gram.Page{Limit: 10})
	noErr(t, "Feed", err)
	if len(got) != 3 {
		t.Errorf("Feed with bob reactivated = %d posts; want 3", len(got))
	}
}

func testPostsByUser(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	var mine []*gram.Post
	for i := range 4 {
		mine = append(mine, NewPost(t, s, alice, At(time.Duration(i)*time.Second)))
		NewPost(t, s, bob, At(time.Duration(i)*time.Second))
	}
	got, err := s.PostsByUser(t.Context(), alice.ID, gram.Page{Limit: 10})
	noErr(t, "PostsByUser", err)
	if diff := cmp.Diff(postIDs(newestFirst(mine)), postIDs(got)); diff != "" {
		t.Errorf("PostsByUser (-want +got):\n%s", diff)
	}
	got, err = s.PostsByUser(t.Context(), missingID(), gram.Page{Limit: 10})
	noErr(t, "PostsByUser(unknown)", err)
	if len(got) != 0 {
		t.Errorf("PostsByUser(unknown) = %d posts", len(got))
	}
}
