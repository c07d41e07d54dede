package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/instamern/gram/internal/gram"
)

var exportTests = []test{
	{"CreateExport/RoundTripOnePending", testExportOnePending},
	{"CreateExport/ErrNotFoundForMissingUser", testExportMissingUser},
	{"LatestExport/NewestOrErrNotFound", testLatestExport},
	{"PendingExports/OldestFirstOnlyPending", testPendingExports},
	{"SaveExport/StoresAndErrNotFound", testSaveExport},
	{"ExpireExports/MarksAndQueuesArchives", testExpireExports},
	{"DeleteUser/DropsExports", testDeleteUserDropsExports},
	{"CommentsByAuthor/NewestFirstPaged", testCommentsByAuthor},
	{"LikesByUser/NewestFirstPaged", testLikesByUser},
	{"StoriesByUser/UnexpiredNewestFirst", testStoriesByUser},
}

// newExport inserts a pending export of u made at at.
func newExport(t *testing.T, s gram.Store, u *gram.User, at time.Time) *gram.Export {
	t.Helper()
	x := &gram.Export{ID: gram.NewID(at), UserID: u.ID, State: gram.ExportPending, CreatedAt: at}
	noErr(t, "CreateExport", s.CreateExport(t.Context(), x))
	return x
}

// ready marks x ready with an archive key, expiring at expires.
func ready(t *testing.T, s gram.Store, x *gram.Export, at, expires time.Time) {
	t.Helper()
	x.State, x.BlobKey, x.Size, x.ReadyAt, x.ExpiresAt = gram.ExportReady, "users/"+x.UserID+"/exports/"+x.ID+"-r.zip", 1234, at, expires
	noErr(t, "SaveExport", s.SaveExport(t.Context(), x))
}

func testExportOnePending(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	x := newExport(t, s, alice, At(time.Second))
	got, err := s.ExportByID(t.Context(), x.ID)
	noErr(t, "ExportByID", err)
	if diff := cmp.Diff(x, got); diff != "" {
		t.Errorf("stored export (-want +got):\n%s", diff)
	}
	wantErr(t, "CreateExport(second pending)", s.CreateExport(t.Context(),
		&gram.Export{ID: gram.NewID(At(2 * time.Second)), UserID: alice.ID, State: gram.ExportPending, CreatedAt: At(2 * time.Second)}),
		gram.ErrConflict)
	newExport(t, s, bob, At(3*time.Second)) // another user may
	ready(t, s, x, At(time.Minute), At(time.Hour))
	newExport(t, s, alice, At(2*time.Minute)) // once built, another may be asked for
	wantErr(t, "ExportByID(missing)", errOf(s.ExportByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testExportMissingUser(t *testing.T, s gram.Store) {
	x := &gram.Export{ID: gram.NewID(At(0)), UserID: missingID(), State: gram.ExportPending, CreatedAt: At(0)}
	wantErr(t, "CreateExport", s.CreateExport(t.Context(), x), gram.ErrNotFound)
}

func testLatestExport(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	wantErr(t, "LatestExport(none)", errOf(s.LatestExport(t.Context(), alice.ID)), gram.ErrNotFound)
	x1 := newExport(t, s, alice, At(time.Second))
	ready(t, s, x1, At(time.Minute), At(time.Hour))
	x2 := newExport(t, s, alice, At(2*time.Minute))
	newExport(t, s, bob, At(3*time.Minute))
	got, err := s.LatestExport(t.Context(), alice.ID)
	noErr(t, "LatestExport", err)
	if diff := cmp.Diff(x2, got); diff != "" {
		t.Errorf("latest export (-want +got):\n%s", diff)
	}
}

func testPendingExports(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	xb := newExport(t, s, bob, At(2*time.Second))
	xa := newExport(t, s, alice, At(time.Second))
	xc := newExport(t, s, carol, At(3*time.Second))
	ready(t, s, xb, At(time.Minute), At(time.Hour))
	got, err := s.PendingExports(t.Context(), 10)
	noErr(t, "PendingExports", err)
	if diff := cmp.Diff([]*gram.Export{xa, xc}, got); diff != "" {
		t.Errorf("pending exports (-want +got):\n%s", diff)
	}
	got, err = s.PendingExports(t.Context(), 1)
	noErr(t, "PendingExports(1)", err)
	if len(got) != 1 || got[0].ID != xa.ID {
		t.Errorf("PendingExports(1) = %v", got)
	}
}

func testSaveExport(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	x := newExport(t, s, alice, At(time.Second))
	x.Attempts, x.LastError, x.State = 3, "blob store down", gram.ExportFailed
	noErr(t, "SaveExport", s.SaveExport(t.Context(), x))
	got, err := s.ExportByID(t.Context(), x.ID)
	noErr(t, "ExportByID", err)
	if diff := cmp.Diff(x, got); diff != "" {
		t.Errorf("saved export (-want +got):\n%s", diff)
	}
	missing := *x
	missing.ID = missingID()
	wantErr(t, "SaveExport(missing)", s.SaveExport(t.Context(), &missing), gram.ErrNotFound)
}

func testExpireExports(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	old, fresh := newExport(t, s, alice, At(time.Second)), newExport(t, s, bob, At(2*time.Second))
	ready(t, s, old, At(time.Minute), At(time.Hour))
	ready(t, s, fresh, At(time.Minute), At(3*time.Hour))
	keys, err := s.ExpireExports(t.Context(), At(2*time.Hour), 10)
	noErr(t, "ExpireExports", err)
	if diff := cmp.Diff([]string{old.BlobKey}, keys); diff != "" {
		t.Errorf("expired keys (-want +got):\n%s", diff)
	}
	if got, _ := s.ExportByID(t.Context(), old.ID); got.State != gram.ExportExpired {
		t.Errorf("expired export state %q", got.State)
	}
	if got, _ := s.ExportByID(t.Context(), fresh.ID); got.State != gram.ExportReady {
		t.Errorf("fresh export state %q", got.State)
	}
	queued, err := s.ClaimBlobDeletions(t.Context(), At(2*time.Hour), time.Minute, 10)
	noErr(t, "ClaimBlobDeletions", err)
	if len(queued) != 1 || queued[0].Key != old.BlobKey {
		t.Errorf("queued deletions %+v; want %s", queued, old.BlobKey)
	}
	keys, err = s.ExpireExports(t.Context(), At(2*time.Hour), 10)
	noErr(t, "ExpireExports(again)", err)
	if len(keys) != 0 {
		t.Errorf("expired twice: %v", keys)
	}
}

func testDeleteUserDropsExports(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	x := newExport(t, s, alice, At(time.Second))
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), alice.ID))
	wantErr(t, "ExportByID", errOf(s.ExportByID(t.Context(), x.ID)), gram.ErrNotFound)
	wantErr(t, "SaveExport", s.SaveExport(t.Context(), x), gram.ErrNotFound)
}

func testCommentsByAuthor(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p1, p2 := NewPost(t, s, alice, At(time.Second)), NewPost(t, s, bob, At(2*time.Second))
	var want []string
	for i := range 5 {
		c := NewComment(t, s, []*gram.Post{p1, p2}[i%2], bob, At(time.Duration(10+i)*time.Second))
		want = append([]string{c.ID}, want...)
	}
	NewComment(t, s, p2, alice, At(time.Minute))
	var got []string
	page := gram.Page{Limit: 2}
	for range 10 {
		cs, err := s.CommentsByAuthor(t.Context(), bob.ID, page)
		noErr(t, "CommentsByAuthor", err)
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if len(cs) < page.Limit {
			break
		}
		page.CursorAt, page.CursorID = cs[len(cs)-1].CreatedAt, cs[len(cs)-1].ID
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bob's comments (-want +got):\n%s", diff)
	}
}

func testLikesByUser(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	var want []*gram.Like
	for i := range 3 {
		p := NewPost(t, s, alice, At(time.Duration(i)*time.Second))
		Like(t, s, p, bob, At(time.Duration(10+i)*time.Second), true)
		want = append([]*gram.Like{{PostID: p.ID, UserID: bob.ID, CreatedAt: At(time.Duration(10+i) * time.Second)}}, want...)
		Like(t, s, p, alice, At(time.Minute+time.Duration(i)*time.Second), true)
	}
	got, err := s.LikesByUser(t.Context(), bob.ID, gram.Page{Limit: 2})
	noErr(t, "LikesByUser", err)
	if diff := cmp.Diff(want[:2], got); diff != "" {
		t.Errorf("bob's first page (-want +got):\n%s", diff)
	}
	got, err = s.LikesByUser(t.Context(), bob.ID, gram.Page{Limit: 2, CursorAt: got[1].CreatedAt, CursorID: got[1].PostID})
	noErr(t, "LikesByUser(page 2)", err)
	if diff := cmp.Diff(want[2:], got); diff != "" {
		t.Errorf("bob's second page (-want +got):\n%s", diff)
	}
}

func testStoriesByUser(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	NewStory(t, s, alice, At(0)) // expired at At(StoryTTL)
	s1 := NewStory(t, s, alice, At(2*time.Hour))
	s2 := NewStory(t, s, alice, At(3*time.Hour))
	NewStory(t, s, bob, At(3*time.Hour))
	got, err := s.StoriesByUser(t.Context(), alice.ID, At(gram.StoryTTL+time.Hour), 10)
	noErr(t, "StoriesByUser", err)
	if diff := cmp.Diff([]*gram.Story{s2, s1}, got); diff != "" {
		t.Errorf("alice's live stories (-want +got):\n%s", diff)
	}
}
