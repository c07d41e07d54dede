package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestE2E_ScaleOut runs three replicas behind nginx: the client's journey
// with consecutive requests on different replicas, then a mixed load
// during which one replica is killed and another restarted, then one
// during which a replica drains, which fails no request.
func TestE2E_ScaleOut(t *testing.T) {
	c := newCluster(t, "RATE_LIMIT_WRITE=off", "RATE_LIMIT_READ=off", "RATE_LIMIT_AUTH=1000/1m", "RATE_LIMIT_RESET_MAIL=off")
	t.Run("Journey", func(t *testing.T) { scaleJourney(t, c) })
	if t.Failed() {
		return
	}
	t.Run("KillUnderLoad", func(t *testing.T) { killUnderLoad(t, c) })
	if t.Failed() {
		return
	}
	t.Run("DrainUnderLoad", func(t *testing.T) { drainUnderLoad(t, c) })
}

// onEachReplica calls do three times in a row, which round robin spreads
// over the three replicas, and requires that it did.
func onEachReplica(t *testing.T, c *cluster, what string, do func()) {
	t.Helper()
	n := c.seen.len()
	for range 3 {
		do()
	}
	got := c.seen.since(n)
	slices.Sort(got)
	if want := []string{replicaName(0), replicaName(1), replicaName(2)}; !slices.Equal(got, want) {
		t.Fatalf("%s: answered by %q, want once by each of %q", what, got, want)
	}
}

func scaleJourney(t *testing.T, c *cluster) {
	f := c.front
	f.t = t
	start := c.seen.len()
	alice := c.signup(t, "alice")
	bob := c.signup(t, "bob")
	alice.token = login(t, f, alice.username, alice.password)
	onEachReplica(t, c, "alice's session", func() {
		if me := currentUser(t, f, alice.token); me.ID != alice.id {
			t.Fatalf("current-user = %+v, want alice", me)
		}
	})

	wantMessage(t, f.call("POST", "/instamern/users/follow/alice", bob.token, nil, 200), "Now, you are following alice")
	onEachReplica(t, c, "alice's followers", func() {
		if p := f.call("GET", "/instamern/users/username/alice", "", nil, 200).Data.User; !slices.Equal(p.Followers, []string{bob.id}) {
			t.Fatalf("alice's followers = %v, want [bob]", p.Followers)
		}
	})

	p := f.upload("/instamern/posts/upload", alice.token, "post", testJPEG(t, 1080, 1350), map[string]string{"caption": "scaled"}, 201).Data.Post
	st := f.upload("/instamern/stories/upload", alice.token, "story", testJPEG(t, 1080, 1920), nil, 201).Data.Story
	for _, u := range []string{p.Photo, st.Photo} {
		if !strings.Contains(u, strings.TrimPrefix(c.mediaURL, "s3://")+"/") {
			t.Fatalf("photo %q is not under %s", u, c.mediaURL)
		}
		fetchImage(t, u)
	}
	wantMessage(t, f.call("POST", "/instamern/posts/like/"+p.ID, bob.token, nil, 200), "Liked!")
	f.call("POST", "/instamern/posts/comments/"+p.ID, bob.token, map[string]string{"comment": "from another replica"}, 201)
	onEachReplica(t, c, "the post", func() {
		d := f.call("GET", "/instamern/posts/"+p.ID, "", nil, 200).Data.Post
		if d.Like != 1 || !slices.Equal(d.Likes, []string{bob.id}) || d.Comment != 1 || len(d.Comments) != 1 {
			t.Fatalf("post = %+v, want bob's like and comment", d)
		}
	})

	// The reset mail is queued by whichever replica answered and sent by
	// whichever sender claims it; the link works on every replica once.
	f.call("POST", "/instamern/users/forgot-password", "", map[string]string{"email": alice.email}, 200)
	tokens := mailpitResets(t, c.mailpit, alice.email, 30*time.Second)
	if len(tokens) != 1 {
		t.Fatalf("%d reset mails to alice; want one", len(tokens))
	}
	newPassword := "reset-" + alice.password
	f.call("PATCH", "/instamern/users/reset-password/"+tokens[0], "", map[string]string{"password": newPassword, "passwordConfirm": newPassword}, 200)
	onEachReplica(t, c, "the used reset link", func() {
		f.call("PATCH", "/instamern/users/reset-password/"+tokens[0], "", map[string]string{"password": newPassword + "x", "passwordConfirm": newPassword + "x"}, 404)
	})
	onEachReplica(t, c, "alice's session before the reset", func() {
		f.call("GET", "/instamern/users/authorization/current-user", alice.token, nil, 401)
	})
	alice.password, alice.token = newPassword, login(t, f, alice.username, newPassword)

	wantMessage(t, f.call("POST", "/instamern/users/logout", bob.token, nil, 200), "You're logged out successfully.")
	onEachReplica(t, c, "bob's session after logout", func() {
		f.call("GET", "/instamern/users/authorization/current-user", bob.token, nil, 401)
	})
	onEachReplica(t, c, "alice's new session", func() { currentUser(t, f, alice.token) })

	// Round robin with one client: no two consecutive requests of the
	// journey were answered by the same replica.
	seen := c.seen.since(start)
	for i := 1; i < len(seen); i++ {
		if seen[i] == seen[i-1] || seen[i] == "" {
			t.Fatalf("requests %d and %d of the journey answered by %q and %q: %q", i-1, i, seen[i-1], seen[i], seen)
		}
	}
	t.Logf("journey: %d requests over the three replicas", len(seen))
	c.wantWelcomes(t, alice.email, bob.email)
	c.wantClientAddr(t)
}

// signup signs a user up through nginx at an address of this run.
func (c *cluster) signup(t *testing.T, username string) account {
	t.Helper()
	a := account{username: username, email: username + "@" + c.domain, password: "lantern-orbit-42"}
	r := c.front.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Scale", "lastname": "Out",
		"username": username, "email": a.email, "password": a.password, "passwordConfirm": a.password}, 201)
	a.id, a.token = r.Data.User.ID, r.Token
	return a
}

// wantWelcomes requires exactly one welcome mail to each address.
func (c *cluster) wantWelcomes(t *testing.T, addrs ...string) {
	t.Helper()
	for _, a := range addrs {
		waitMailpitCount(t, c.mailpit, a, 1, 15*time.Second)
	}
	byAddr := c.mailpitByRecipient(t)
	for _, a := range addrs {
		if n := byAddr[a]["Welcome to InstaMERN"]; n != 1 {
			t.Errorf("%d welcome mails to %s, want 1 (all: %v)", n, a, byAddr[a])
		}
	}
}

// wantClientAddr sends a request with a forged X-Forwarded-For through
// nginx: the replica logs the client's real address (127.0.0.2, which
// nginx appended), not the forged one nor nginx's.
func (c *cluster) wantClientAddr(t *testing.T) {
	t.Helper()
	id := "xff-" + randHex(8)
	req, _ := http.NewRequest("GET", c.lb.base+"/instamern/posts/", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	req.Header.Set("X-Request-Id", id)
	res, err := c.front.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	// The access log line is written after the answer: wait for it.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if line, ok := c.loggedRequest(id); ok {
			if !strings.Contains(line, `"ip":"127.0.0.2"`) {
				t.Fatalf("the replica logged %s; want the client's address 127.0.0.2", line)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no replica logged request %s", id)
}

// answeredWhole reports whether the replica named instance logged the
// request with this id as answered with status (a non-zero status the
// client saw): the replica finished it, whatever became of the body later.
func (c *cluster) answeredWhole(id string, status int, instance string) bool {
	if status == 0 || instance == replicaName(2) {
		return false
	}
	// Request ids repeat across the test's loads: read the last line with
	// this id in that replica's own log.
	for i, g := range c.reps {
		if replicaName(i) != instance {
			continue
		}
		last := ""
		for line := range strings.Lines(g.out.String()) {
			if strings.Contains(line, `"request_id":"`+id+`"`) {
				last = line
			}
		}
		return strings.Contains(last, fmt.Sprintf(`"status":%d,`, status))
	}
	return false
}

// answeredByLive reports whether a replica other than the killed one
// (replica 0, gramd-1) logged the request with this id, last, as answered with
// status (non-zero). Request ids repeat across the test's loads.
func (c *cluster) answeredByLive(id string, status int) bool {
	for i, g := range c.reps {
		if i == 0 || status == 0 {
			continue
		}
		last := ""
		for line := range strings.Lines(g.out.String()) {
			if strings.Contains(line, `"request_id":"`+id+`"`) {
				last = line
			}
		}
		if strings.Contains(last, fmt.Sprintf(`"status":%d,`, status)) {
			return true
		}
	}
	return false
}

// loggedRequest returns the access log line of the request with this id,
// from whichever replica served it.
func (c *cluster) loggedRequest(id string) (string, bool) {
	for _, g := range c.reps {
		for line := range strings.Lines(g.out.String()) {
			if strings.Contains(line, `"request_id":"`+id+`"`) {
				return line, true
			}
		}
	}
	return "", false
}
