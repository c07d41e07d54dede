package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instamern/gram/internal/pgtest"
)

// TestE2E_BackupAndCopyToPostgres is the way up from SQLite: a server on
// the embedded default gets data through the API; "gramd backup" copies
// its database while comments are being written; the server stops,
// "gramd copy-db" moves the data to PostgreSQL, and a server on
// PostgreSQL lets the users log in and see their posts, likes and
// follows. The backup, restored the README's way, serves too.
func TestE2E_BackupAndCopyToPostgres(t *testing.T) {
	pgURL := pgtest.SchemaURL(t)
	g := startGramd(t, "")
	alice := signup(t, g, "Alice", "Liddell", "alice")
	bob := signup(t, g, "Bob", "Builder", "bob")
	g.call("POST", "/instamern/users/follow/alice", bob.token, nil, 200)
	p := g.upload("/instamern/posts/upload", alice.token, "post", testJPEG(t, 800, 1000), map[string]string{"caption": "moving day"}, 201).Data.Post
	g.call("POST", "/instamern/posts/like/"+p.ID, bob.token, nil, 200)

	acked := commentLoad(t, g, p.ID, bob.token, func() {
		out, code := gramdExit(t, g.dir, nil, "backup", "-to", "gram-backup.db")
		if code != 0 || !strings.Contains(out, "backed up") {
			t.Fatalf("gramd backup: exit %d\n%s", code, out)
		}
	})
	t.Logf("comments acknowledged: %d before the backup began, %d by the end of the load", acked.before, acked.after)
	if _, code := gramdExit(t, g.dir, nil, "backup", "-to", "gram-backup.db"); code != 1 {
		t.Errorf("a second backup to the same file: exit %d, want 1", code)
	}
	g.terminate()
	out, code := gramdExit(t, g.dir, nil, "copy-db", "-to", pgURL, "-batch", "7")
	if code != 0 || !strings.Contains(out, "checked on the target") || !strings.Contains(out, "copy-db: likes") {
		t.Fatalf("gramd copy-db: exit %d\n%s", code, out)
	}
	if out, code := gramdExit(t, g.dir, nil, "copy-db", "-to", pgURL); code != 1 || !strings.Contains(out, "-resume") {
		t.Errorf("copy-db into the copied database: exit %d, want 1 and a hint at -resume\n%s", code, out)
	}

	pg := startGramd(t, g.dir, "DATABASE_URL="+pgURL)
	if total := wantMoved(t, pg, alice, bob, p.ID); total < int(acked.after) {
		t.Errorf("PostgreSQL has %d comments; %d were acknowledged before the server stopped", total, acked.after)
	}
	pg.terminate()

	restored := t.TempDir()
	restoreBackup(t, filepath.Join(g.dir, "gram-backup.db"), filepath.Join(restored, "data", "gram.db"))
	r := startGramd(t, restored, "MEDIA_URL="+filepath.Join(g.dir, "data", "media"))
	n := wantMoved(t, r, alice, bob, p.ID)
	if n < int(acked.before) || n > int(acked.after) {
		t.Errorf("the backup has %d comments; %d were acknowledged before it began, %d by the end of the load", n, acked.before, acked.after)
	}
	r.terminate()
}

// loadCount is how many writes were acknowledged before an action began
// and by the time the load stopped.
type loadCount struct{ before, after int64 }

// commentLoad comments on post as fast as one client can while action
// runs (and a little before and after it).
func commentLoad(t *testing.T, g *gramd, post, token string, action func()) loadCount {
	t.Helper()
	ctx, stop := context.WithCancel(t.Context())
	var (
		n   atomic.Int64
		wg  sync.WaitGroup
		bad atomic.Value
	)
	wg.Go(func() {
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/instamern/posts/comments/"+post,
				strings.NewReader(`{"comment":"still here"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				if ctx.Err() == nil {
					bad.Store(err.Error())
				}
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				bad.Store(res.Status)
				return
			}
			n.Add(1)
		}
	})
	for n.Load() < 10 && bad.Load() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	c := loadCount{before: n.Load()}
	action()
	for end := n.Load() + 10; n.Load() < end && bad.Load() == nil; {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	wg.Wait()
	if b := bad.Load(); b != nil {
		t.Fatalf("a comment during the backup failed: %v", b)
	}
	c.after = n.Load()
	return c
}

// wantMoved checks what a server on moved data must show: both users log
// in, bob follows alice, alice's post is in the feed with bob's like, and
// its photo is served. It returns the post's number of comments.
func wantMoved(t *testing.T, g *gramd, alice, bob account, postID string) int {
	t.Helper()
	login(t, g, alice.username, alice.password)
	tok := login(t, g, bob.username, bob.password)
	if f := currentUser(t, g, tok).Followings; !slices.Equal(f, []string{alice.id}) {
		t.Errorf("bob's followings = %v, want [alice %s]", f, alice.id)
	}
	f := feedFirst(t, g)
	if f.ID != postID || f.PostedBy != alice.id || f.Like != 1 || !slices.Equal(f.Likes, []string{bob.id}) {
		t.Errorf("feed first = %+v, want alice's post %s liked by bob", f, postID)
	}
	fetchImage(t, f.Photo)
	d := g.call("GET", "/instamern/posts/"+postID, "", nil, 200).Data.Post
	if len(d.Comments) == 0 || len(d.Comments) > d.Comment {
		t.Errorf("post says %d comments and lists %d", d.Comment, len(d.Comments))
	}
	return d.Comment
}

// restoreBackup restores a backup the README's way: the server is
// stopped, the file replaces the database, its -wal and -shm go.
func restoreBackup(t *testing.T, backup, db string) {
	t.Helper()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(db + ext); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}
