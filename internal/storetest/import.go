package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var importTests = []test{
	{"ImportUsers/Outcomes", testImportUsers},
	{"ImportRows/SkipsWhatIsThere", testImportRows},
	{"ImportRows/DanglingFailsAll", testImportRowsDangling},
	{"FinishImport/CountersAndTime", testFinishImport},
	{"AdoptLegacyToken/OncePerToken", testAdoptLegacyToken},
	{"EndLegacySessions/ForGood", testEndLegacySessions},
}

// importedUser is a user as an import writes it, with the given id.
func importedUser(username string, at time.Time) *gram.User {
	return &gram.User{ID: gram.NewID(at), Username: username, Email: username + "@example.com", Firstname: "F",
		Lastname: "L", PasswordHash: "$2b$12$x", Role: gram.RoleUser, Active: true, CreatedAt: at, UpdatedAt: at}
}

func testImportUsers(t *testing.T, s gram.Store) {
	ctx := t.Context()
	bob := NewUser(t, s, "bob")
	a, b := importedUser("alice", At(0)), importedUser("carol", At(time.Second))
	out, err := s.ImportUsers(ctx, []*gram.User{a, b})
	noErr(t, "ImportUsers", err)
	if !slices.Equal(out, []gram.ImportOutcome{gram.ImportInserted, gram.ImportInserted}) {
		t.Errorf("first import: %v", out)
	}
	taken := importedUser("bob", At(2*time.Second)) // bob's username
	mail := importedUser("dave", At(3*time.Second)) // bob's email
	mail.Email = bob.Email
	again := *a
	again.Bio = "changed"
	out, err = s.ImportUsers(ctx, []*gram.User{&again, taken, mail})
	noErr(t, "ImportUsers", err)
	if !slices.Equal(out, []gram.ImportOutcome{gram.ImportPresent, gram.ImportConflict, gram.ImportConflict}) {
		t.Errorf("second import: %v", out)
	}
	got, err := s.UserByID(ctx, a.ID)
	noErr(t, "UserByID", err)
	if got.Bio != "" || got.PasswordHash != a.PasswordHash || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Errorf("a present user was changed: %+v", got)
	}
}

func testImportRows(t *testing.T, s gram.Store) {
	ctx := t.Context()
	a, b := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := &gram.Post{ID: gram.NewID(At(0)), AuthorID: a.ID, Caption: "c", PhotoKey: "https://example.com/p.jpg", CreatedAt: At(0)}
	batch := &gram.ImportBatch{
		Follows: []gram.Follow{{FollowerID: a.ID, FolloweeID: b.ID, CreatedAt: At(0)}},
		Posts:   []*gram.Post{p},
		Likes:   []gram.Like{{PostID: p.ID, UserID: b.ID, CreatedAt: At(0)}},
		Comments: []*gram.Comment{{ID: gram.NewID(At(time.Second)), PostID: p.ID, AuthorID: b.ID, Text: "hi",
			CreatedAt: At(time.Second)}},
		Stories: []*gram.Story{{ID: gram.NewID(At(0)), UserID: a.ID, PhotoKey: "https://example.com/s.jpg",
			CreatedAt: At(0), ExpiresAt: At(gram.StoryTTL)}},
		Notifications: []*gram.Notification{{ID: gram.NewID(At(0)), RecipientID: a.ID, ActorID: b.ID,
			Kind: gram.NotifyLike, CreatedAt: At(0), Seen: true}},
	}
	n, err := s.ImportRows(ctx, batch)
	noErr(t, "ImportRows", err)
	if want := (gram.ImportCounts{Follows: 1, Posts: 1, Likes: 1, Comments: 1, Stories: 1, Notifications: 1}); n != want {
		t.Errorf("first ImportRows = %+v, want %+v", n, want)
	}
	n, err = s.ImportRows(ctx, batch)
	noErr(t, "ImportRows", err)
	if n != (gram.ImportCounts{}) {
		t.Errorf("second ImportRows = %+v, want nothing inserted", n)
	}
	notes, err := s.NotificationsFor(ctx, a.ID, 10)
	noErr(t, "NotificationsFor", err)
	if len(notes) != 1 || !notes[0].Seen || notes[0].ID != batch.Notifications[0].ID {
		t.Errorf("notifications = %+v", notes)
	}
	ids, err := s.FollowerIDs(ctx, b.ID, 10)
	noErr(t, "FollowerIDs", err)
	if !slices.Equal(ids, []string{a.ID}) {
		t.Errorf("followers of b = %v", ids)
	}
}

func testImportRowsDangling(t *testing.T, s gram.Store) {
	ctx := t.Context()
	a := NewUser(t, s, "alice")
	_, err := s.ImportRows(ctx, &gram.ImportBatch{
		Follows: []gram.Follow{{FollowerID: a.ID, FolloweeID: a.ID, CreatedAt: At(0)}},
		Likes:   []gram.Like{{PostID: missingID(), UserID: a.ID, CreatedAt: At(0)}},
	})
	if err == nil {
		t.Fatal("ImportRows took a like of a post that does not exist")
	}
	ids, err := s.FollowerIDs(ctx, a.ID, 10)
	noErr(t, "FollowerIDs", err)
	if len(ids) != 0 {
		t.Errorf("the failed batch left a follow: %v", ids)
	}
}

func testFinishImport(t *testing.T, s gram.Store) {
	ctx := t.Context()
	before, err := s.LegacyTokensBefore(ctx)
	noErr(t, "LegacyTokensBefore", err)
	if !before.IsZero() {
		t.Errorf("LegacyTokensBefore with no import = %v", before)
	}
	a, b := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := &gram.Post{ID: gram.NewID(At(0)), AuthorID: a.ID, PhotoKey: "k", CreatedAt: At(0)}
	_, err = s.ImportRows(ctx, &gram.ImportBatch{Posts: []*gram.Post{p},
		Likes:    []gram.Like{{PostID: p.ID, UserID: a.ID, CreatedAt: At(0)}, {PostID: p.ID, UserID: b.ID, CreatedAt: At(0)}},
		Comments: []*gram.Comment{{ID: gram.NewID(At(0)), PostID: p.ID, AuthorID: b.ID, Text: "x", CreatedAt: At(0)}}})
	noErr(t, "ImportRows", err)
	noErr(t, "FinishImport", s.FinishImport(ctx, At(time.Hour)))
	wantCounts(t, s, p.ID, 2, 1)
	before, err = s.LegacyTokensBefore(ctx)
	noErr(t, "LegacyTokensBefore", err)
	if !before.Equal(At(time.Hour)) {
		t.Errorf("LegacyTokensBefore = %v, want %v", before, At(time.Hour))
	}
	noErr(t, "FinishImport", s.FinishImport(ctx, At(2*time.Hour)))
	if before, _ = s.LegacyTokensBefore(ctx); !before.Equal(At(2 * time.Hour)) {
		t.Errorf("after a second import LegacyTokensBefore = %v, want the later start", before)
	}
}

func legacySession(u *gram.User, at time.Time) *gram.Session {
	return &gram.Session{ID: gram.NewID(at) + "0123456789abcdef", UserID: u.ID, CreatedAt: at, LastUsed: at,
		ExpiresAt: at.Add(time.Hour)}
}

func testAdoptLegacyToken(t *testing.T, s gram.Store) {
	ctx := t.Context()
	u := NewUser(t, s, "alice")
	wantErr(t, "LegacySession", errOf(s.LegacySession(ctx, "hash1")), gram.ErrNotFound)
	first := legacySession(u, At(0))
	id, err := s.AdoptLegacyToken(ctx, "hash1", first)
	noErr(t, "AdoptLegacyToken", err)
	if id != first.ID {
		t.Errorf("AdoptLegacyToken = %s, want %s", id, first.ID)
	}
	// The same token seen again (concurrently) keeps its first session.
	id, err = s.AdoptLegacyToken(ctx, "hash1", legacySession(u, At(time.Second)))
	noErr(t, "AdoptLegacyToken", err)
	if id != first.ID {
		t.Errorf("second AdoptLegacyToken = %s, want the first session %s", id, first.ID)
	}
	got, err := s.LegacySession(ctx, "hash1")
	if err != nil || got != first.ID {
		t.Errorf("LegacySession = %s, %v", got, err)
	}
	ss, err := s.SessionsByUser(ctx, u.ID, At(0), 10)
	noErr(t, "SessionsByUser", err)
	if len(ss) != 1 || !ss[0].ExpiresAt.Equal(first.ExpiresAt) {
		t.Errorf("sessions = %+v, want the one adopted", ss)
	}
	// A second device's token gets a session of its own.
	other := legacySession(u, At(2*time.Second))
	if id, err = s.AdoptLegacyToken(ctx, "hash2", other); err != nil || id != other.ID {
		t.Errorf("AdoptLegacyToken of a second token = %s, %v", id, err)
	}
	// Revoked, it stays known: it is not adopted again.
	noErr(t, "RevokeSession", s.RevokeSession(ctx, first.ID))
	if got, err = s.LegacySession(ctx, "hash1"); err != nil || got != first.ID {
		t.Errorf("LegacySession after revocation = %s, %v", got, err)
	}
	wantErr(t, "AdoptLegacyToken for no user",
		errOf(s.AdoptLegacyToken(ctx, "hash3", &gram.Session{ID: gram.NewID(At(0)) + "0123456789abcdef",
			UserID: missingID(), CreatedAt: At(0), LastUsed: At(0), ExpiresAt: At(time.Hour)})), gram.ErrNotFound)
}

func testEndLegacySessions(t *testing.T, s gram.Store) {
	ctx := t.Context()
	u := NewUser(t, s, "alice")
	noErr(t, "FinishImport", s.FinishImport(ctx, At(time.Hour)))
	normal := NewSession(t, s, u, At(0))
	legacy := legacySession(u, At(time.Second))
	_, err := s.AdoptLegacyToken(ctx, "hash1", legacy)
	noErr(t, "AdoptLegacyToken", err)
	n, err := s.EndLegacySessions(ctx)
	noErr(t, "EndLegacySessions", err)
	if n != 1 {
		t.Errorf("EndLegacySessions ended %d sessions, want 1", n)
	}
	wantErr(t, "SessionByID of the legacy session", errOf(s.SessionByID(ctx, legacy.ID)), gram.ErrNotFound)
	if _, err := s.SessionByID(ctx, normal.ID); err != nil {
		t.Errorf("a normal session ended too: %v", err)
	}
	before, err := s.LegacyTokensBefore(ctx)
	noErr(t, "LegacyTokensBefore", err)
	noErr(t, "FinishImport", s.FinishImport(ctx, At(2*time.Hour)))
	after, err := s.LegacyTokensBefore(ctx)
	noErr(t, "LegacyTokensBefore", err)
	if !before.IsZero() || !after.IsZero() {
		t.Errorf("LegacyTokensBefore after the cut-off = %v, after another import %v: want zero", before, after)
	}
}
