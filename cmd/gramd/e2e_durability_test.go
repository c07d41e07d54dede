package main

import (
	"slices"
	"testing"
	"time"
)

// TestE2E_AcknowledgedWritesSurviveKill: every write the server
// acknowledged is there after the process is killed (SIGKILL) right after
// the last answer and started again on the same SQLite file. A killed
// process leaves its writes in the OS's cache, which survives it in
// either SQLITE_SYNCHRONOUS mode; what FULL adds against a power failure
// (a sync of the log before each answer) is checked in sqlstore
// (TestSynchronousSyncsEveryCommit).
func TestE2E_AcknowledgedWritesSurviveKill(t *testing.T) {
	dir := t.TempDir()
	g := startGramd(t, dir)
	author, liker := signup(t, g, "Ada", "Author", "author"), signup(t, g, "Lee", "Liker", "liker")
	p := g.upload("/instamern/posts/upload", author.token, "post", testJPEG(t, 400, 500), map[string]string{"caption": "kept"}, 201).Data.Post
	for range 31 { // ends liked
		g.call("POST", "/instamern/posts/like/"+p.ID, liker.token, nil, 200)
	}
	last := signup(t, g, "Lou", "Last", "last")
	if err := g.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	g.waitExit(10 * time.Second)

	g = startGramd(t, dir)
	d := g.call("GET", "/instamern/posts/"+p.ID, "", nil, 200).Data.Post
	if d.Caption != "kept" || d.Like != 1 || !slices.Equal(d.Likes, []string{liker.id}) {
		t.Errorf("post after the kill = %+v; want it with one like, by %s", d, liker.id)
	}
	login(t, g, last.username, last.password)
	g.terminate()
}
