package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var notificationTests = []test{
	{"NotificationsFor/NewestFirstLimit", testNotificationsFor},
}

func testNotificationsFor(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	p := NewPost(t, s, alice, T0)
	f := followNote(bob, alice, At(time.Second))
	if _, err := s.Follow(t.Context(), bob.ID, alice.ID, f.CreatedAt, f); err != nil {
		t.Fatal(err)
	}
	l := likeNote(p, carol, At(3*time.Second))
	if _, err := s.ToggleLike(t.Context(), p.ID, carol.ID, l.CreatedAt, l); err != nil {
		t.Fatal(err)
	}
	c := &gram.Notification{ID: gram.NewID(At(2 * time.Second)), RecipientID: alice.ID, ActorID: bob.ID,
		Kind: gram.NotifyComment, PostID: p.ID, CreatedAt: At(2 * time.Second)}
	noErr(t, "CreateComment", s.CreateComment(t.Context(), &gram.Comment{ID: gram.NewID(T0), PostID: p.ID, AuthorID: bob.ID, Text: "hi", CreatedAt: c.CreatedAt}, c))
	Follow(t, s, alice, bob, At(4*time.Second)) // bob's, not alice's

	got, err := s.NotificationsFor(t.Context(), alice.ID, 10)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{l, c, f}, got); diff != "" {
		t.Errorf("NotificationsFor (-want +got):\n%s", diff)
	}
	got, err = s.NotificationsFor(t.Context(), alice.ID, 2)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{l, c}, got); diff != "" {
		t.Errorf("NotificationsFor(limit 2) (-want +got):\n%s", diff)
	}
	got, err = s.NotificationsFor(t.Context(), carol.ID, 10)
	noErr(t, "NotificationsFor", err)
	if len(got) != 0 {
		t.Errorf("carol has %d notifications; want 0", len(got))
	}
}
