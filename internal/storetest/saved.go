package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var savedTests = []test{
	{"SavePost/Idempotent", testSaveIdempotent},
	{"SavePost/ErrNotFound", testSaveNotFound},
	{"UnsavePost/Idempotent", testUnsave},
	{"SavedPosts/KeysetPagesBySaveTime", testSavedPages},
	{"SavedPosts/PrivateAndActiveAuthorsOnly", testSavedPrivate},
	{"SavedAmong/Batch", testSavedAmong},
	{"SavePost/GoneWithPostOrUser", testSaveCascades},
}

// Save saves p for u at at and fails unless the save is new.
func Save(t *testing.T, s gram.Store, u *gram.User, p *gram.Post, at time.Time) {
	t.Helper()
	if created, err := s.SavePost(t.Context(), u.ID, p.ID, at); err != nil || !created {
		t.Fatalf("SavePost(%s, %s) = %v, %v; want true, nil", u.Username, p.ID, created, err)
	}
}

func savedPosts(t *testing.T, s gram.Store, u *gram.User, page gram.Page) []*gram.SavedPost {
	t.Helper()
	got, err := s.SavedPosts(t.Context(), u.ID, page)
	noErr(t, "SavedPosts", err)
	return got
}

func testSaveIdempotent(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, bob, T0)
	Save(t, s, alice, p, At(time.Second))
	created, err := s.SavePost(t.Context(), alice.ID, p.ID, At(time.Minute))
	if err != nil || created {
		t.Errorf("SavePost again = %v, %v; want false, nil", created, err)
	}
	want := []*gram.SavedPost{{Post: p, SavedAt: At(time.Second)}}
	if diff := cmp.Diff(want, savedPosts(t, s, alice, gram.Page{Limit: 10})); diff != "" {
		t.Errorf("SavedPosts (-want +got): the first save time stays\n%s", diff)
	}
	wantCounts(t, s, p.ID, 0, 0)
}

func testSaveNotFound(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	p := NewPost(t, s, alice, T0)
	_, err := s.SavePost(t.Context(), alice.ID, missingID(), T0)
	wantErr(t, "SavePost(missing post)", err, gram.ErrNotFound)
	_, err = s.SavePost(t.Context(), missingID(), p.ID, T0)
	wantErr(t, "SavePost(missing user)", err, gram.ErrNotFound)
}

func testUnsave(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	p, q := NewPost(t, s, alice, T0), NewPost(t, s, alice, At(time.Second))
	Save(t, s, alice, p, T0)
	Save(t, s, alice, q, T0)
	for i, want := range []bool{true, false} {
		removed, err := s.UnsavePost(t.Context(), alice.ID, p.ID)
		if err != nil || removed != want {
			t.Errorf("UnsavePost #%d = %v, %v; want %v, nil", i+1, removed, err, want)
		}
	}
	if removed, err := s.UnsavePost(t.Context(), missingID(), missingID()); err != nil || removed {
		t.Errorf("UnsavePost(unknown) = %v, %v; want false, nil", removed, err)
	}
	got := savedPosts(t, s, alice, gram.Page{Limit: 10})
	if len(got) != 1 || got[0].Post.ID != q.ID {
		t.Errorf("SavedPosts after unsave = %v; want q only", got)
	}
	// Saved again after an unsave, it is new again, at its new time.
	Save(t, s, alice, p, At(time.Hour))
	if got := savedPosts(t, s, alice, gram.Page{Limit: 1}); len(got) != 1 || got[0].Post.ID != p.ID || !got[0].SavedAt.Equal(At(time.Hour)) {
		t.Errorf("SavedPosts first = %v; want p saved at T0+1h", got)
	}
}

func testSavedPages(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	posts := pageWorld(t, s, alice, bob)
	// Saved in an order other than the posts', three saves a timestamp.
	saveAt := map[string]time.Time{}
	for i, p := range posts {
		at := At(time.Hour + time.Duration((len(posts)-i)/3)*time.Second)
		Save(t, s, alice, p, at)
		saveAt[p.ID] = at
	}
	var read []*gram.SavedPost
	page := gram.Page{Limit: 5}
	for range 10 {
		got := savedPosts(t, s, alice, page)
		read = append(read, got...)
		if len(got) < page.Limit {
			break
		}
		last := got[len(got)-1]
		page.CursorAt, page.CursorID = last.SavedAt, last.Post.ID
		// A save between pages, newer than every other, is not read.
		Save(t, s, alice, NewPost(t, s, bob, At(2*time.Hour)), At(3*time.Hour))
	}
	if len(read) != len(posts) {
		t.Fatalf("read %d saves; want %d", len(read), len(posts))
	}
	for i, sp := range read {
		if !sp.SavedAt.Equal(saveAt[sp.Post.ID]) {
			t.Errorf("save %d: SavedAt %v; want %v", i, sp.SavedAt, saveAt[sp.Post.ID])
		}
		if i > 0 {
			a, b := read[i-1], sp
			if !(b.SavedAt.Before(a.SavedAt) || b.SavedAt.Equal(a.SavedAt) && b.Post.ID < a.Post.ID) {
				t.Errorf("saves out of order at %d: (%v, %s) then (%v, %s)", i, a.SavedAt, a.Post.ID, b.SavedAt, b.Post.ID)
			}
		}
	}
}

func testSavedPrivate(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	pb, pc := NewPost(t, s, bob, T0), NewPost(t, s, carol, T0)
	Save(t, s, alice, pb, T0)
	Save(t, s, alice, pc, At(time.Second))
	Save(t, s, bob, pb, T0)
	if got := savedPosts(t, s, carol, gram.Page{Limit: 10}); len(got) != 0 {
		t.Errorf("SavedPosts(carol) = %d; want none (others' saves are theirs)", len(got))
	}
	if got := savedPosts(t, s, bob, gram.Page{Limit: 10}); len(got) != 1 || got[0].Post.ID != pb.ID {
		t.Errorf("SavedPosts(bob) = %v; want pb", got)
	}
	Deactivate(t, s, carol)
	if got := savedPosts(t, s, alice, gram.Page{Limit: 1}); len(got) != 1 || got[0].Post.ID != pb.ID {
		t.Errorf("SavedPosts(alice, limit 1) with carol inactive = %v; want pb (a full page)", got)
	}
	if _, err := s.Block(t.Context(), bob.ID, alice.ID, T0, 100); err != nil {
		t.Fatal(err)
	}
	if got := savedPosts(t, s, alice, gram.Page{Limit: 10}); len(got) != 0 {
		t.Errorf("SavedPosts(alice) once bob blocks her = %v; want none", got)
	}
}

func testSavedAmong(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	var ids []string
	want := map[string]bool{}
	for i := range 130 { // more than one chunk
		p := NewPost(t, s, bob, At(time.Duration(i)*time.Millisecond))
		ids = append(ids, p.ID)
		if i%3 == 0 {
			Save(t, s, alice, p, T0)
			want[p.ID] = true
		} else if i%3 == 1 {
			Save(t, s, bob, p, T0) // bob's saves are not alice's
		}
	}
	ids = append(ids, ids[0], missingID()) // repeated and unknown ids
	got, err := s.SavedAmong(t.Context(), alice.ID, ids)
	noErr(t, "SavedAmong", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SavedAmong (-want +got):\n%s", diff)
	}
	if got, err := s.SavedAmong(t.Context(), alice.ID, nil); err != nil || len(got) != 0 {
		t.Errorf("SavedAmong(none) = %v, %v; want empty, nil", got, err)
	}
}

func testSaveCascades(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	pb1, pb2, pc := NewPost(t, s, bob, T0), NewPost(t, s, bob, At(time.Second)), NewPost(t, s, carol, T0)
	Save(t, s, alice, pb1, T0)
	Save(t, s, alice, pb2, T0)
	Save(t, s, alice, pc, T0)
	Save(t, s, carol, pb1, T0)
	noErr(t, "DeletePost", s.DeletePost(t.Context(), pb1.ID, nil))
	got, err := s.SavedAmong(t.Context(), alice.ID, []string{pb1.ID, pb2.ID, pc.ID})
	noErr(t, "SavedAmong", err)
	if diff := cmp.Diff(map[string]bool{pb2.ID: true, pc.ID: true}, got); diff != "" {
		t.Errorf("SavedAmong after deleting pb1 (-want +got):\n%s", diff)
	}
	// Deleting bob removes the saves of his posts; deleting carol, hers.
	noErr(t, "DeleteUser(bob)", s.DeleteUser(t.Context(), bob.ID))
	noErr(t, "DeleteUser(carol)", s.DeleteUser(t.Context(), carol.ID))
	if got := savedPosts(t, s, alice, gram.Page{Limit: 10}); len(got) != 0 {
		t.Errorf("SavedPosts(alice) after deleting the authors = %v; want none", got)
	}
	// A deleted saver's saves go with them: the post's author can still
	// delete it (no save holds it).
	dave := NewUser(t, s, "dave")
	pd := NewPost(t, s, dave, T0)
	Save(t, s, alice, pd, T0)
	noErr(t, "DeleteUser(alice)", s.DeleteUser(t.Context(), alice.ID))
	noErr(t, "DeletePost(pd)", s.DeletePost(t.Context(), pd.ID, nil))
}
