package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2E_OrphanSweptAfterRestart kills gramd between storing an upload's
// image and inserting its post (the test holds SQLite's write lock, so the
// insert waits), which leaves an image that no row references. A server
// restarted with it must sweep it soon after the start, once it is older
// than the grace period, and keep the images that posts reference.
func TestE2E_OrphanSweptAfterRestart(t *testing.T) {
	g := startGramd(t, "", "MEDIA_SWEEP_INTERVAL=1s")
	alice := signup(t, g, "Alice", "Liddell", "alice")
	kept := g.upload("/instamern/posts/upload", alice.token, "post", testJPEG(t, 1080, 1350), nil, 201).Data.Post
	posts := filepath.Join(g.dir, "data", "media", "users", alice.id, "posts")

	unlock := lockSQLite(t, filepath.Join(g.dir, "data", "gram.db"))
	req := g.uploadRequest("/instamern/posts/upload", "post", testJPEG(t, 1080, 1350), nil)
	req.Header.Set("Authorization", "Bearer "+alice.token)
	go g.client.Do(req) // never answered: the server dies
	orphan := waitNewFile(t, posts, kept.ID+".jpg")
	if err := g.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	g.waitExit(10 * time.Second)
	unlock()

	old := time.Now().Add(-48 * time.Hour)
	for _, name := range []string{orphan, kept.ID + ".jpg"} {
		if err := os.Chtimes(filepath.Join(posts, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	g2 := startGramd(t, g.dir, "MEDIA_SWEEP_INTERVAL=1s")
	g2.waitLog(`"blob: swept orphaned media"`, 15*time.Second)
	if _, err := os.Stat(filepath.Join(posts, orphan)); !os.IsNotExist(err) {
		t.Errorf("orphan %s after the sweep: %v; want it gone", orphan, err)
	}
	if p := feedFirst(t, g2); p.ID != kept.ID {
		t.Fatalf("feed after restart: %+v; want only the post that was answered", p)
	}
	fetchImage(t, feedFirst(t, g2).Photo)
	g2.terminate()
}

// lockSQLite takes the database's write lock, as a long write
// transaction of another process would, until unlock is called.
func lockSQLite(t *testing.T, path string) (unlock func()) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		_, _ = conn.ExecContext(t.Context(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
}

// waitNewFile waits until dir holds a .jpg other than known, and returns
// its name.
func waitNewFile(t *testing.T, dir, known string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != known && strings.HasSuffix(e.Name(), ".jpg") {
				return e.Name()
			}
		}
	}
	t.Fatalf("no new image in %s within 10s", dir)
	return ""
}
