package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var deleteUserTests = []test{
	{"DeleteUser/ErrNotFound", testDeleteUserNotFound},
	{"DeleteUser/Cascade", testDeleteUserCascade},
	{"DeleteUser/WhileOthersLike", testDeleteUserWhileLiked},
}

func testDeleteUserNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "DeleteUser", s.DeleteUser(t.Context(), missingID()), gram.ErrNotFound)
	a := NewUser(t, s, "alice")
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), a.ID))
	wantErr(t, "DeleteUser(again)", s.DeleteUser(t.Context(), a.ID), gram.ErrNotFound)
}

func testDeleteUserCascade(t *testing.T, s gram.Store) {
	ctx := t.Context()
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	ap := NewPost(t, s, alice, At(time.Minute))
	bp := NewPost(t, s, bob, At(2*time.Minute))
	// Alice's footprint on her own and on other users' posts.
	Like(t, s, bp, alice, At(3*time.Minute), true)
	Like(t, s, bp, carol, At(3*time.Minute), true)
	Like(t, s, ap, bob, At(3*time.Minute), true)
	Like(t, s, ap, alice, At(3*time.Minute), true)
	ac1 := NewComment(t, s, bp, alice, At(4*time.Minute))
	ac2 := NewComment(t, s, bp, alice, At(5*time.Minute))
	cc := NewComment(t, s, bp, carol, At(6*time.Minute))
	bc := NewComment(t, s, ap, bob, At(6*time.Minute))
	Follow(t, s, alice, bob, At(7*time.Minute))
	Follow(t, s, bob, alice, At(7*time.Minute))
	Follow(t, s, carol, bob, At(8*time.Minute))
	st := NewStory(t, s, alice, At(time.Minute))
	sess := NewSession(t, s, alice, At(time.Minute))
	bsess := NewSession(t, s, bob, At(time.Minute))
	noErr(t, "SetPasswordReset", s.SetPasswordReset(ctx, gram.PasswordReset{UserID: alice.ID, TokenHash: "h-alice", ExpiresAt: At(time.Hour)}, nil))
	wantCounts(t, s, bp.ID, 2, 3)

	noErr(t, "DeleteUser", s.DeleteUser(ctx, alice.ID))

	wantErr(t, "UserByID", errOf(s.UserByID(ctx, alice.ID)), gram.ErrNotFound)
	wantErr(t, "PostByID(alice's post)", errOf(s.PostByID(ctx, ap.ID)), gram.ErrNotFound)
	wantErr(t, "CommentByID(bob's comment on alice's post)", errOf(s.CommentByID(ctx, bc.ID)), gram.ErrNotFound)
	for _, c := range []*gram.Comment{ac1, ac2} {
		wantErr(t, "CommentByID(alice's comment)", errOf(s.CommentByID(ctx, c.ID)), gram.ErrNotFound)
	}
	wantErr(t, "StoryByID", errOf(s.StoryByID(ctx, st.ID)), gram.ErrNotFound)
	wantErr(t, "SessionByID", errOf(s.SessionByID(ctx, sess.ID)), gram.ErrNotFound)
	noErr(t, "SessionByID(bob)", errOf(s.SessionByID(ctx, bsess.ID)))
	_, err := s.ResetPassword(ctx, "h-alice", T0, func(*gram.User) error { return nil })
	wantErr(t, "ResetPassword(alice's token)", err, gram.ErrNotFound)

	// Bob's post lost alice's like and comments, and its counters say so.
	wantCounts(t, s, bp.ID, 1, 1)
	likers, err := s.LikerIDs(ctx, []string{bp.ID, ap.ID}, 10)
	noErr(t, "LikerIDs", err)
	if diff := cmp.Diff(map[string][]string{bp.ID: {carol.ID}}, likers); diff != "" {
		t.Errorf("LikerIDs (-want +got):\n%s", diff)
	}
	cs, err := s.CommentsByPost(ctx, bp.ID, gram.Page{Limit: 10})
	noErr(t, "CommentsByPost", err)
	if len(cs) != 1 || cs[0].ID != cc.ID {
		t.Errorf("CommentsByPost = %d comments; want only carol's", len(cs))
	}
	wantIDs(t, s.FollowerIDs, bob.ID, []string{carol.ID})
	wantIDs(t, s.FollowingIDs, bob.ID, nil)
	ns, err := s.NotificationsFor(ctx, bob.ID, 100)
	noErr(t, "NotificationsFor", err)
	for _, n := range ns {
		if n.ActorID == alice.ID || n.PostID == ap.ID {
			t.Errorf("notification %+v survived alice's deletion", n)
		}
	}
	if len(ns) != 3 { // carol: like, comment, follow
		t.Errorf("bob has %d notifications; want carol's 3", len(ns))
	}
	// The name and email are free again.
	NewUser(t, s, "alice")
}

// wantIDs checks a FollowerIDs/FollowingIDs list.
func wantIDs(t *testing.T, list func(ctx ctxT, id string, limit int) ([]string, error), id string, want []string) {
	t.Helper()
	got, err := list(t.Context(), id, 100)
	noErr(t, "ids", err)
	if diff := cmp.Diff(want, got, cmpNilEmpty); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// testDeleteUserWhileLiked deletes users while others like their posts
// and while they like and comment on someone else's posts, concurrently,
// for a few rounds. Every call either succeeds or reports ErrNotFound, and
// no counter or row is left behind.
func testDeleteUserWhileLiked(t *testing.T, s gram.Store) {
	carol := NewUser(t, s, "carol")
	var cposts []*gram.Post
	for i := range 8 {
		cposts = append(cposts, NewPost(t, s, carol, At(time.Duration(i)*time.Minute)))
	}
	var likers []*gram.User
	for i := range 8 {
		likers = append(likers, NewUser(t, s, "liker"+itoa(i)))
	}
	for round := range 4 {
		victim := NewUser(t, s, "victim"+itoa(round))
		deleteWhileActive(t, s, victim, likers, cposts)
		wantErr(t, "UserByID(victim)", errOf(s.UserByID(t.Context(), victim.ID)), gram.ErrNotFound)
	}
	for _, p := range cposts {
		wantConsistentCounts(t, s, p)
	}
	for _, u := range likers {
		ns, err := s.NotificationsFor(t.Context(), u.ID, 10)
		noErr(t, "NotificationsFor", err)
		if len(ns) != 0 {
			t.Errorf("liker %s has %d notifications; want 0", u.Username, len(ns))
		}
	}
}

// deleteWhileActive runs one round of testDeleteUserWhileLiked.
func deleteWhileActive(t *testing.T, s gram.Store, victim *gram.User, likers []*gram.User, cposts []*gram.Post) {
	t.Helper()
	ctx := t.Context()
	var vposts []*gram.Post
	for i := range 4 {
		vposts = append(vposts, NewPost(t, s, victim, At(time.Duration(i)*time.Second)))
	}
	check := func(what string, err error) {
		if err != nil && !errors.Is(err, gram.ErrNotFound) {
			t.Errorf("%s: %v; want nil or ErrNotFound", what, err)
		}
	}
	var wg sync.WaitGroup
	for _, u := range likers {
		wg.Go(func() {
			for _, p := range vposts {
				_, err := s.ToggleLike(ctx, p.ID, u.ID, At(time.Hour), likeNote(p, u, At(time.Hour)))
				check("ToggleLike(victim's post)", err)
			}
		})
	}
	wg.Go(func() {
		for _, p := range cposts {
			_, err := s.ToggleLike(ctx, p.ID, victim.ID, At(time.Hour), likeNote(p, victim, At(time.Hour)))
			check("ToggleLike(by victim)", err)
			c := &gram.Comment{ID: gram.NewID(T0), PostID: p.ID, AuthorID: victim.ID, Text: "hi", CreatedAt: At(time.Hour)}
			check("CreateComment(by victim)", s.CreateComment(ctx, c, nil))
		}
	})
	wg.Go(func() {
		time.Sleep(2 * time.Millisecond)
		check("DeleteUser", s.DeleteUser(ctx, victim.ID))
	})
	wg.Wait()
	likes, err := s.LikerIDs(ctx, postIDs(vposts), 100)
	noErr(t, "LikerIDs", err)
	if len(likes) != 0 {
		t.Errorf("deleted posts still have likes: %v", likes)
	}
	for _, p := range vposts {
		wantErr(t, "PostByID(victim's post)", errOf(s.PostByID(ctx, p.ID)), gram.ErrNotFound)
	}
}

// wantConsistentCounts checks that a post's counters match its rows.
func wantConsistentCounts(t *testing.T, s gram.Store, p *gram.Post) {
	t.Helper()
	likes, err := s.LikerIDs(t.Context(), []string{p.ID}, 1000)
	noErr(t, "LikerIDs", err)
	cs, err := s.CommentsByPost(t.Context(), p.ID, gram.Page{Limit: 1000})
	noErr(t, "CommentsByPost", err)
	wantCounts(t, s, p.ID, len(likes[p.ID]), len(cs))
}
