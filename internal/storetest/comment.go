package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var commentTests = []test{
	{"CreateComment/RoundTripCounter", testCreateComment},
	{"CreateComment/ErrNotFound", testCreateCommentNotFound},
	{"CreateComment/EveryCommentNotifies", testCommentNotifies},
	{"CommentByID/ErrNotFound", testCommentNotFound},
	{"DeleteComment/Decrements", testDeleteComment},
	{"DeleteComment/ErrNotFound", testDeleteCommentNotFound},
	{"CommentsByPost/KeysetPagesStable", testCommentPages},
}

func testCreateComment(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, T0)
	at := At(1999 * time.Millisecond)
	want := &gram.Comment{ID: gram.NewID(at), PostID: p.ID, AuthorID: bob.ID, Text: "wow 😍 'quoted' \"double\"", CreatedAt: at}
	n := &gram.Notification{ID: gram.NewID(at), RecipientID: alice.ID, ActorID: bob.ID, Kind: gram.NotifyComment, PostID: p.ID, CreatedAt: at}
	noErr(t, "CreateComment", s.CreateComment(t.Context(), want, n))
	got, err := s.CommentByID(t.Context(), want.ID)
	noErr(t, "CommentByID", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CommentByID (-want +got):\n%s", diff)
	}
	wantCounts(t, s, p.ID, 0, 1)
	ns, err := s.NotificationsFor(t.Context(), alice.ID, 10)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{n}, ns); diff != "" {
		t.Errorf("NotificationsFor (-want +got):\n%s", diff)
	}
	// Own comment, no notification.
	noErr(t, "CreateComment(nil n)", s.CreateComment(t.Context(), &gram.Comment{ID: gram.NewID(at), PostID: p.ID, AuthorID: alice.ID, Text: "thanks", CreatedAt: at}, nil))
	wantCounts(t, s, p.ID, 0, 2)
	wantNotifications(t, s, alice.ID, 1)
}

func testCreateCommentNotFound(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	c := &gram.Comment{ID: gram.NewID(T0), PostID: missingID(), AuthorID: alice.ID, Text: "x", CreatedAt: T0}
	n := &gram.Notification{ID: gram.NewID(T0), RecipientID: alice.ID, ActorID: alice.ID, Kind: gram.NotifyComment, PostID: c.PostID, CreatedAt: T0}
	wantErr(t, "CreateComment(missing post)", s.CreateComment(t.Context(), c, n), gram.ErrNotFound)
	wantErr(t, "CommentByID", errOf(s.CommentByID(t.Context(), c.ID)), gram.ErrNotFound)
	wantNotifications(t, s, alice.ID, 0)
}

func testCommentNotifies(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, T0)
	NewComment(t, s, p, bob, At(time.Second))
	NewComment(t, s, p, bob, At(time.Second))
	wantCounts(t, s, p.ID, 0, 2)
	wantNotifications(t, s, alice.ID, 2)
}

func testCommentNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "CommentByID", errOf(s.CommentByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testDeleteComment(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, T0)
	c1, c2 := NewComment(t, s, p, bob, T0), NewComment(t, s, p, alice, T0)
	other := NewPost(t, s, bob, T0)
	NewComment(t, s, other, alice, T0)
	noErr(t, "DeleteComment", s.DeleteComment(t.Context(), c1.ID, nil))
	wantCounts(t, s, p.ID, 0, 1)
	wantCounts(t, s, other.ID, 0, 1)
	wantErr(t, "CommentByID", errOf(s.CommentByID(t.Context(), c1.ID)), gram.ErrNotFound)
	wantErr(t, "DeleteComment(again)", s.DeleteComment(t.Context(), c1.ID, nil), gram.ErrNotFound)
	wantCounts(t, s, p.ID, 0, 1)
	noErr(t, "DeleteComment", s.DeleteComment(t.Context(), c2.ID, nil))
	wantCounts(t, s, p.ID, 0, 0)
}

func testDeleteCommentNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "DeleteComment", s.DeleteComment(t.Context(), missingID(), nil), gram.ErrNotFound)
}

// testCommentPages walks the comments oldest first while new comments
// arrive: every comment, old or new, is read once, in order.
func testCommentPages(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p, other := NewPost(t, s, alice, T0), NewPost(t, s, alice, T0)
	var want []string
	for i := range 10 {
		want = append(want, NewComment(t, s, p, bob, At(time.Duration(i/3)*time.Second)).ID)
		NewComment(t, s, other, bob, At(time.Duration(i/3)*time.Second))
	}
	var read []*gram.Comment
	page := gram.Page{Limit: 4}
	for i := 0; i < 20; i++ {
		got, err := s.CommentsByPost(t.Context(), p.ID, page)
		noErr(t, "CommentsByPost", err)
		read = append(read, got...)
		if len(got) < page.Limit {
			break
		}
		last := got[len(got)-1]
		page.CursorAt, page.CursorID = last.CreatedAt, last.ID
		want = append(want, NewComment(t, s, p, alice, At(time.Hour+time.Duration(i)*time.Second)).ID)
	}
	for i := 1; i < len(read); i++ {
		a, b := read[i-1], read[i]
		if !(b.CreatedAt.After(a.CreatedAt) || b.CreatedAt.Equal(a.CreatedAt) && b.ID > a.ID) {
			t.Errorf("comments out of order or repeating at %d", i)
		}
	}
	got := make([]string, len(read))
	for i, c := range read {
		got[i] = c.ID
		if c.PostID != p.ID {
			t.Errorf("comment %s of another post", c.ID)
		}
	}
	if diff := cmp.Diff(sortStrings(want), sortStrings(got)); diff != "" {
		t.Errorf("comments read (-want +got):\n%s", diff)
	}
	if !slices.IsSortedFunc(read, func(a, b *gram.Comment) int { return a.CreatedAt.Compare(b.CreatedAt) }) {
		t.Errorf("comments not oldest first")
	}
}
