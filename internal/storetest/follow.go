package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var followTests = []test{
	{"Follow/OK", testFollow},
	{"Follow/RepeatNotNew", testFollowRepeat},
	{"Follow/ErrNotFound", testFollowNotFound},
	{"Follow/RefollowNotifiesOnce", testRefollow},
	{"Follow/Concurrent50", testFollowConcurrent},
	{"Unfollow/OK", testUnfollow},
	{"FollowerIDs/NewestFirstLimit", testFollowerOrder},
}

func testFollow(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	n := followNote(alice, bob, At(time.Second))
	created, err := s.Follow(t.Context(), alice.ID, bob.ID, At(time.Second), n)
	if err != nil || !created {
		t.Fatalf("Follow = %v, %v; want true, nil", created, err)
	}
	wantIDs(t, s.FollowerIDs, bob.ID, []string{alice.ID})
	wantIDs(t, s.FollowingIDs, alice.ID, []string{bob.ID})
	wantIDs(t, s.FollowerIDs, alice.ID, nil)
	wantIDs(t, s.FollowingIDs, bob.ID, nil)
	ns, err := s.NotificationsFor(t.Context(), bob.ID, 10)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{n}, ns); diff != "" {
		t.Errorf("NotificationsFor (-want +got):\n%s", diff)
	}
	// A follow without a notification stores none.
	created, err = s.Follow(t.Context(), bob.ID, alice.ID, At(time.Second), nil)
	if err != nil || !created {
		t.Fatalf("Follow(nil notification) = %v, %v; want true, nil", created, err)
	}
	wantNotifications(t, s, alice.ID, 0)
}

func testFollowRepeat(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	Follow(t, s, alice, bob, At(time.Second))
	created, err := s.Follow(t.Context(), alice.ID, bob.ID, At(2*time.Second), followNote(alice, bob, At(2*time.Second)))
	if err != nil || created {
		t.Fatalf("Follow(repeat) = %v, %v; want false, nil", created, err)
	}
	wantIDs(t, s.FollowerIDs, bob.ID, []string{alice.ID})
	wantNotifications(t, s, bob.ID, 1)
}

func testFollowNotFound(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	ghost := &gram.User{ID: missingID()}
	_, err := s.Follow(t.Context(), alice.ID, ghost.ID, T0, followNote(alice, ghost, T0))
	wantErr(t, "Follow(missing followee)", err, gram.ErrNotFound)
	_, err = s.Follow(t.Context(), ghost.ID, alice.ID, T0, followNote(ghost, alice, T0))
	wantErr(t, "Follow(missing follower)", err, gram.ErrNotFound)
	wantIDs(t, s.FollowingIDs, alice.ID, nil)
	wantIDs(t, s.FollowerIDs, alice.ID, nil)
	wantNotifications(t, s, alice.ID, 0)
}

// testRefollow: unfollow then follow again is a new follow, but the
// follow notification is unique per (recipient, actor), so only one exists.
func testRefollow(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	Follow(t, s, alice, bob, At(time.Second))
	if ok, err := s.Unfollow(t.Context(), alice.ID, bob.ID); err != nil || !ok {
		t.Fatalf("Unfollow = %v, %v; want true, nil", ok, err)
	}
	created, err := s.Follow(t.Context(), alice.ID, bob.ID, At(2*time.Second), followNote(alice, bob, At(2*time.Second)))
	if err != nil || !created {
		t.Fatalf("Follow(again) = %v, %v; want true, nil", created, err)
	}
	wantNotifications(t, s, bob.ID, 1)
}

func testFollowConcurrent(t *testing.T, s gram.Store) {
	star := NewUser(t, s, "star")
	fans := make([]*gram.User, 50)
	for i := range fans {
		fans[i] = NewUser(t, s, "fan"+itoa(i))
	}
	var wg sync.WaitGroup
	for _, f := range fans {
		wg.Go(func() {
			// Each fan follows twice; only the first is new.
			for range 2 {
				if _, err := s.Follow(t.Context(), f.ID, star.ID, At(time.Second), followNote(f, star, At(time.Second))); err != nil {
					t.Errorf("Follow: %v", err)
				}
			}
		})
	}
	wg.Wait()
	got, err := s.FollowerIDs(t.Context(), star.ID, 100)
	noErr(t, "FollowerIDs", err)
	want := make([]string, len(fans))
	for i, f := range fans {
		want[i] = f.ID
	}
	if diff := cmp.Diff(sortStrings(want), sortStrings(got)); diff != "" {
		t.Errorf("FollowerIDs (-want +got):\n%s", diff)
	}
	wantNotifications(t, s, star.ID, len(fans))
}

func testUnfollow(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	if ok, err := s.Unfollow(t.Context(), alice.ID, bob.ID); err != nil || ok {
		t.Errorf("Unfollow(not following) = %v, %v; want false, nil", ok, err)
	}
	Follow(t, s, alice, bob, T0)
	Follow(t, s, bob, alice, T0)
	if ok, err := s.Unfollow(t.Context(), alice.ID, bob.ID); err != nil || !ok {
		t.Errorf("Unfollow = %v, %v; want true, nil", ok, err)
	}
	if ok, err := s.Unfollow(t.Context(), alice.ID, bob.ID); err != nil || ok {
		t.Errorf("Unfollow(again) = %v, %v; want false, nil", ok, err)
	}
	wantIDs(t, s.FollowerIDs, bob.ID, nil)
	wantIDs(t, s.FollowerIDs, alice.ID, []string{bob.ID})
}

func testFollowerOrder(t *testing.T, s gram.Store) {
	star := NewUser(t, s, "star")
	var fans []string
	for i := range 5 {
		f := NewUser(t, s, "fan"+itoa(i))
		Follow(t, s, f, star, At(time.Duration(i)*time.Minute))
		Follow(t, s, star, f, At(time.Duration(i)*time.Minute))
		fans = append([]string{f.ID}, fans...) // newest first
	}
	for _, list := range []func(ctxT, string, int) ([]string, error){s.FollowerIDs, s.FollowingIDs} {
		got, err := list(t.Context(), star.ID, 3)
		noErr(t, "ids", err)
		if diff := cmp.Diff(fans[:3], got); diff != "" {
			t.Errorf("ids newest first, limit 3 (-want +got):\n%s", diff)
		}
	}
}

// wantNotifications checks how many notifications u has.
func wantNotifications(t *testing.T, s gram.Store, userID string, want int) {
	t.Helper()
	ns, err := s.NotificationsFor(t.Context(), userID, 1000)
	noErr(t, "NotificationsFor", err)
	if len(ns) != want {
		t.Errorf("user has %d notifications; want %d", len(ns), want)
	}
}
