package legacy_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/legacy"
	"github.com/instamern/gram/internal/legacy/legacytest"
	"github.com/instamern/gram/internal/testenv"
)

// want is a tally's counts: read, imported, already there, repaired, skipped.
type want struct{ read, imported, present, repaired, skipped int64 }

// firstRun is what importing the quirky database into an empty store
// reports; a second run reports the imported as already there.
var firstRun = map[string]want{
	legacy.KindUsers:         {7, 5, 0, 3, 2}, // Erin's invalid email, Frank's email taken; Alice's bio, Dave renamed, Gina
	legacy.KindFollows:       {5, 4, 0, 1, 1}, // Carol->Bob made whole; Bob->Ghost dangling
	legacy.KindNotifications: {4, 3, 0, 0, 1}, // by Ghost
	legacy.KindPosts:         {4, 2, 0, 0, 2}, // Ghost's, no photo
	legacy.KindLikes:         {6, 3, 0, 0, 3}, // Bob twice, Ghost, on Ghost's post
	legacy.KindComments:      {5, 3, 0, 1, 2}, // on a deleted post, empty; "&lt;"
	legacy.KindStories:       {2, 1, 0, 0, 1}, // expired
}

func checkReport(t *testing.T, rep *legacy.Report, again bool) {
	t.Helper()
	for kind, w := range firstRun {
		if again {
			w.present, w.imported = w.imported, 0
		}
		tl := rep.Tally(kind)
		got := want{tl.Read, tl.Imported, tl.Present, tl.Repaired, tl.Skipped}
		if got != w {
			t.Errorf("%s: got %+v, want %+v (skips %v, repairs %v)", kind, got, w, tl.Skips, tl.Repairs)
		}
	}
	if t.Failed() {
		t.Log(rep)
	}
}

// checkStore reads the imported data back as the API does.
func checkStore(t *testing.T, s gram.Store, q *legacytest.Quirky) {
	t.Helper()
	ctx := t.Context()
	alice, err := s.UserByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if alice.ID != q.Alice.Hex() || alice.Email != "alice@example.com" || alice.Bio != "I <3 rabbits" ||
		alice.PhotoKey != q.AlicePhoto || alice.Firstname != "Alice" || !alice.Active ||
		!alice.CreatedAt.Equal(q.Alice.Timestamp()) || !strings.HasPrefix(alice.PasswordHash, "$2b$12$") {
		t.Errorf("alice = %+v", alice)
	}
	dave, err := s.UserByUsername(ctx, "alice_2")
	if err != nil || dave.ID != q.Dave.Hex() {
		t.Errorf("Dave under alice_2: %+v, %v", dave, err)
	}
	gina, err := s.UserByID(ctx, q.Gina.Hex())
	if err != nil || gina.Firstname != "" || gina.Lastname != "Gina" {
		t.Errorf("gina = %+v, %v", gina, err)
	}
	for _, id := range []string{q.Erin.Hex(), q.Frank.Hex()} {
		if _, err := s.UserByID(ctx, id); err == nil {
			t.Errorf("skipped user %s was imported", id)
		}
	}
	p1, err := s.PostByID(ctx, q.P1.Hex())
	if err != nil {
		t.Fatal(err)
	}
	if p1.AuthorID != q.Alice.Hex() || p1.Caption != "Down the <rabbit> hole" || p1.PhotoKey != q.P1Photo ||
		p1.LikeCount != 2 || p1.CommentCount != 3 || !p1.CreatedAt.Equal(q.P1.Timestamp()) {
		t.Errorf("p1 = %+v", p1)
	}
	likers, err := s.LikerIDs(ctx, []string{q.P1.Hex()}, 10)
	if got := likers[q.P1.Hex()]; err != nil || !sameSet(got, q.Bob.Hex(), q.Carol.Hex()) {
		t.Errorf("likers of p1 = %v, %v", got, err)
	}
	comments, err := s.CommentsByPost(ctx, q.P1.Hex(), gram.Page{Limit: 10})
	if err != nil || len(comments) != 3 {
		t.Fatalf("comments of p1 = %v, %v", comments, err)
	}
	for i, c := range []struct{ id, text string }{{q.C1.Hex(), "first!"}, {q.C2.Hex(), "1 < 2"}, {q.C3.Hex(), "third"}} {
		if comments[i].ID != c.id || comments[i].Text != c.text {
			t.Errorf("comment %d = %+v, want %s %q", i, comments[i], c.id, c.text)
		}
	}
	followers, err := s.FollowerIDs(ctx, q.Bob.Hex(), 10)
	if err != nil || !sameSet(followers, q.Alice.Hex(), q.Carol.Hex()) {
		t.Errorf("bob's followers = %v, %v", followers, err)
	}
	followings, err := s.FollowingIDs(ctx, q.Alice.Hex(), 10)
	if err != nil || !sameSet(followings, q.Bob.Hex(), q.Carol.Hex()) {
		t.Errorf("alice's followings = %v, %v", followings, err)
	}
	notes, err := s.NotificationsFor(ctx, q.Alice.Hex(), 10)
	if err != nil || len(notes) != 3 {
		t.Fatalf("alice's notifications = %v, %v", notes, err)
	}
	for _, n := range notes {
		if n.Seen != (n.ID == q.N3.Hex()) {
			t.Errorf("notification %+v: seen should be set only on the one no longer new", n)
		}
	}
	stories, err := s.ActiveStories(ctx, "", time.Now(), 10)
	if err != nil || len(stories) != 1 || stories[0].ID != q.S1.Hex() ||
		!stories[0].ExpiresAt.Equal(q.S1.Timestamp().Add(gram.StoryTTL)) {
		t.Errorf("active stories = %+v, %v", stories, err)
	}
	before, err := s.LegacyTokensBefore(ctx)
	if err != nil || before.IsZero() {
		t.Errorf("LegacyTokensBefore = %v, %v: the import is not recorded", before, err)
	}
}

func sameSet(got []string, want ...string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// TestImportDump imports a mongodump directory the test writes with the
// bson package, twice: the second run adds nothing.
func TestImportDump(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			q := legacytest.NewQuirky(time.Now())
			dir := filepath.Join(t.TempDir(), "dump", "instamern")
			if err := q.WriteDump(dir); err != nil {
				t.Fatal(err)
			}
			s := b.Open(t)
			// The folder above the database's is accepted too.
			src, err := legacy.OpenDump(filepath.Dir(dir))
			if err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			rep, err := legacy.Import(t.Context(), src, s, legacy.Options{Batch: 2, Log: &log})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, false)
			checkStore(t, s, q)
			for _, line := range []string{
				"users " + q.Erin.Hex() + " skipped: invalid email",
				"users " + q.Dave.Hex() + ` renamed: "ALICE" is now "alice_2"`,
				"follows " + q.Bob.Hex() + "->" + q.Ghost.Hex() + " skipped: a user that is not imported (dangling id)",
				"stories " + q.S2.Hex() + " skipped: expired",
			} {
				if !strings.Contains(log.String(), line+"\n") {
					t.Errorf("the log misses %q:\n%s", line, log.String())
				}
			}
			rep, err = legacy.Import(t.Context(), src, s, legacy.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, true)
			checkStore(t, s, q)
		})
	}
}

// TestImportDumpDamaged: a document that is not BSON and a file cut short
// are skipped and reported; the rest is imported.
func TestImportDumpDamaged(t *testing.T) {
	q := legacytest.NewQuirky(time.Now())
	dir := t.TempDir()
	if err := q.WriteDump(dir); err != nil {
		t.Fatal(err)
	}
	appendBytes(t, filepath.Join(dir, "comments.bson"), []byte{12, 0, 0, 0, 0xff, 'x', 0, 0, 0, 0, 0, 0})
	appendBytes(t, filepath.Join(dir, "stories.bson"), []byte{200, 0, 0, 0, 3})
	src, err := legacy.OpenDump(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := dbtest.SQLite(t)
	rep, err := legacy.Import(t.Context(), src, s, legacy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Tally(legacy.KindComments); c.Imported != 3 || c.Skipped != 3 {
		t.Errorf("comments: %+v", c)
	}
	if st := rep.Tally(legacy.KindStories); st.Imported != 1 || st.Skipped != 2 {
		t.Errorf("stories: %+v", st)
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := openAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

// TestImportMongo seeds a MongoDB-protocol server (FerretDB in the test
// environment: MONGODB_URL) with the quirky database in the original's
// shapes and imports it with the driver, twice.
func TestImportMongo(t *testing.T) {
	base := testenv.Need(t, "MONGODB_URL")
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			q := legacytest.NewQuirky(time.Now())
			url := legacytest.SeedMongo(t, base, &q.Data)
			src, err := legacy.OpenMongo(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close(context.Background())
			s := b.Open(t)
			var progress []string
			rep, err := legacy.Import(t.Context(), src, s, legacy.Options{
				Progress: func(coll string, read, total int64) { progress = append(progress, coll) }})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, false)
			checkStore(t, s, q)
			if !slices.Contains(progress, "posts") {
				t.Errorf("no progress for posts: %v", progress)
			}
			rep, err = legacy.Import(t.Context(), src, s, legacy.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, true)
		})
	}
}

func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
}
