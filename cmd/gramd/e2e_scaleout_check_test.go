package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/mail"
)

// The checks after the load compare what the load was told with what the
// shared database, S3 and Mailpit hold, and with what the API answers.

// dbPairs runs a query of two text columns and counts each pair.
func (c *cluster) dbPairs(t *testing.T, q string) map[[2]string]int {
	t.Helper()
	rows, err := c.db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[[2]string]int{}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		out[[2]string{a, b}]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dbInt runs a query of one integer.
func (c *cluster) dbInt(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := c.db.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkLikes requires each target post's like counter, its likes in the
// API and its rows to agree, and each worker's like to be where the
// acknowledged toggles left it.
func (l *scaleLoad) checkLikes(t *testing.T, st map[toggleKey]toggleState) {
	t.Helper()
	rows := l.c.dbPairs(t, `SELECT post_id, user_id FROM likes`)
	total := 0
	for _, p := range l.posts {
		n := 0
		for w, u := range l.users {
			has := rows[[2]string{p, u.id}] == 1
			if has {
				n++
			}
			if s, ok := st[toggleKey{w, p}]; ok && s.known && s.on != has {
				t.Errorf("post %s: %s's like is %v, but the last acknowledged toggle said %v", p, u.username, has, s.on)
			}
		}
		d := l.c.front.call("GET", "/instamern/posts/"+p, "", nil, 200).Data.Post
		counter := l.c.dbInt(t, `SELECT like_count FROM posts WHERE id = $1`, p)
		if d.Like != n || len(d.Likes) != n || counter != n {
			t.Errorf("post %s: %d like rows; API like %d with %d likers, like_count %d", p, n, d.Like, len(d.Likes), counter)
		}
		total += n
	}
	t.Logf("likes: %d acknowledged toggles; %d likes at the end; %d of %d worker/post pairs unknown after a failed toggle",
		l.count("like", (*loadOp).acked), total, unknown(st), len(st))
}

// checkFollows requires each account's followers in the API to be its
// rows, and each worker's follow to be where the acknowledged toggles
// left it.
func (l *scaleLoad) checkFollows(t *testing.T, st map[toggleKey]toggleState) {
	t.Helper()
	rows := l.c.dbPairs(t, `SELECT follower_id, followee_id FROM follows`)
	for _, target := range l.users {
		var want []string
		for w, u := range l.users {
			has := rows[[2]string{u.id, target.id}] == 1
			if has {
				want = append(want, u.id)
			}
			if s, ok := st[toggleKey{w, target.username}]; ok && s.known && s.on != has {
				t.Errorf("%s follows %s: %v, but the last acknowledged toggle said %v", u.username, target.username, has, s.on)
			}
		}
		got := l.c.front.call("GET", "/instamern/users/username/"+target.username, "", nil, 200).Data.User.Followers
		if !sameSet(got, want) {
			t.Errorf("%s's followers in the API %v, rows %v", target.username, got, want)
		}
	}
	t.Logf("follows: %d acknowledged toggles; %d of %d pairs unknown after a failed toggle", l.count("follow", (*loadOp).acked), unknown(st), len(st))
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// checkComments requires every acknowledged comment once on its post, a
// failed one at most once, nothing else, and the counters to match.
func (l *scaleLoad) checkComments(t *testing.T) {
	t.Helper()
	rows := l.c.dbPairs(t, `SELECT post_id, body FROM comments`)
	known := map[[2]string]bool{}
	for _, op := range l.ops {
		if op.kind != "comment" {
			continue
		}
		k := [2]string{op.target, op.text}
		known[k] = true
		if n := rows[k]; (op.acked() && n != 1) || n > 1 {
			t.Errorf("comment %s on %s (acknowledged %v): %d rows", op.text, op.target, op.acked(), n)
		}
	}
	for _, p := range l.posts {
		n := 0
		for k, c := range rows {
			if k[0] == p {
				n += c
				if !known[k] {
					t.Errorf("post %s has a comment %q the load never sent", p, k[1])
				}
			}
		}
		d := l.c.front.call("GET", "/instamern/posts/"+p, "", nil, 200).Data.Post
		if counter := l.c.dbInt(t, `SELECT comment_count FROM posts WHERE id = $1`, p); d.Comment != n || counter != n {
			t.Errorf("post %s: %d comment rows; API comment %d, comment_count %d", p, n, d.Comment, counter)
		}
	}
	t.Logf("comments: %d acknowledged, %d failed", l.count("comment", (*loadOp).acked), l.count("comment", (*loadOp).failed))
}

// checkUploads requires every acknowledged upload's post or story to
// exist, a failed one's at most once, and every post's photo to load.
func (l *scaleLoad) checkUploads(t *testing.T) {
	t.Helper()
	posts := l.c.dbPairs(t, `SELECT id, caption FROM posts`)
	stories := l.c.dbPairs(t, `SELECT id, user_id FROM stories`)
	captions := map[string]int{}
	for k := range posts {
		captions[k[1]]++
	}
	for _, op := range l.ops {
		switch {
		case op.kind == "upload" && op.acked() && posts[[2]string{op.created, op.id}] != 1:
			t.Errorf("acknowledged upload %s (post %s) is not in the database", op.id, op.created)
		case op.kind == "upload" && captions[op.id] > 1:
			t.Errorf("upload %s made %d posts", op.id, captions[op.id])
		case op.kind == "story" && op.acked() && stories[[2]string{op.created, l.users[op.worker].id}] != 1:
			t.Errorf("acknowledged story %s is not in the database", op.created)
		}
	}
	for k := range posts {
		p := l.c.front.call("GET", "/instamern/posts/"+k[0], "", nil, 200).Data.Post
		fetchImage(t, p.Photo)
	}
	t.Logf("uploads: %d posts and %d stories acknowledged; %d posts in all, every photo loads from S3",
		l.count("upload", (*loadOp).acked), l.count("story", (*loadOp).acked), len(posts))
}

// checkMedia requires every object under the run's media prefix to be a
// post's, story's or avatar's photo or queued for deletion, but for at
// most one per upload that failed in flight (written before its row, it
// is left to the orphan sweep), and every referenced photo to exist.
func (c *cluster) checkMedia(t *testing.T, failedUploads int) {
	t.Helper()
	env := servicesEnv(t)
	store, err := blob.Open(t.Context(), blob.Config{URL: c.mediaURL, Endpoint: envValue(t, env, "S3_ENDPOINT"),
		Region: envValue(t, env, "S3_REGION"), ForcePathStyle: true,
		AccessKeyID: envValue(t, env, "AWS_ACCESS_KEY_ID"), SecretAccessKey: envValue(t, env, "AWS_SECRET_ACCESS_KEY")})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := store.List(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	refs := c.dbPairs(t, `SELECT photo_key, 'post' FROM posts UNION ALL SELECT photo_key, 'story' FROM stories
		UNION ALL SELECT photo_key, 'avatar' FROM users WHERE photo_key <> ''`)
	queued := c.dbPairs(t, `SELECT blob_key, '' FROM blob_deletions`)
	held := map[string]bool{}
	for k := range refs {
		held[k[0]] = true
	}
	present := map[string]bool{}
	orphans := 0
	for _, o := range objs {
		present[o.Key] = true
		if held[o.Key] {
			continue
		}
		isQueued := false
		for q := range queued {
			isQueued = isQueued || q[0] == o.Key || (strings.HasSuffix(q[0], "/") && strings.HasPrefix(o.Key, q[0]))
		}
		if !isQueued {
			orphans++
			t.Logf("orphan: %s (%s)", o.Key, o.LastModified.Format(time.RFC3339Nano))
		}
	}
	for k := range refs {
		if !present[k[0]] {
			t.Errorf("the %s photo %s is missing from S3", k[1], k[0])
		}
	}
	t.Logf("media: %d objects, %d referenced, %d queued for deletion, %d orphans (uploads failed in flight: %d)",
		len(objs), len(held), len(queued), orphans, failedUploads)
	if orphans > failedUploads {
		t.Errorf("%d orphaned objects; at most the %d uploads that failed in flight may leave one", orphans, failedUploads)
	}
}

// mailpitMessage is a message in Mailpit's search results.
type mailpitMessage struct {
	ID, MessageID, Subject string
	To                     []struct{ Address string }
	Created                time.Time // when Mailpit took it
}

// mailpitSearch returns every message Mailpit holds matching query.
func mailpitSearch(t *testing.T, base, query string) []mailpitMessage {
	t.Helper()
	var res struct{ Messages []mailpitMessage }
	mailpitGet(t, base+"/api/v1/search?limit=5000&query="+url.QueryEscape(query), &res)
	return res.Messages
}

// mailpitByRecipient counts the run's messages in Mailpit by recipient
// and subject.
func (c *cluster) mailpitByRecipient(t *testing.T) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{}
	for _, m := range mailpitSearch(t, c.mailpit, `to:"@`+c.domain+`"`) {
		for _, to := range m.To {
			if out[to.Address] == nil {
				out[to.Address] = map[string]int{}
			}
			out[to.Address][m.Subject]++
		}
	}
	return out
}

// checkMail waits until the shared outbox is sent, then requires Mailpit
// to hold each queued message exactly once (by Message-ID, which the
// outbox row fixes), but for a message the killed replica was sending
// (the first copy came before the kill, the second after), and a reset mail for every acknowledged request but
// those the killed replica answered before it died: their mail is queued
// off the request path (see gram.ForgotPassword), after the answer, so
// a replica killed in between loses it. Those losses are counted.
func (l *scaleLoad) checkMail(t *testing.T) {
	t.Helper()
	c := l.c
	killedAt := c.killedAt
	deadline := time.Now().Add(30 * time.Second)
	for c.dbInt(t, `SELECT count(*) FROM mail_outbox WHERE sent_at = 0 AND NOT failed`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the outbox is not sent within 30s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n := c.dbInt(t, `SELECT count(*) FROM mail_outbox WHERE failed`); n > 0 {
		t.Errorf("%d messages given up", n)
	}
	queued := c.dbInt(t, `SELECT count(*) FROM mail_outbox`)
	var msgs []mailpitMessage
	for range 20 { // Mailpit indexes a message a moment after it took it
		if msgs = mailpitSearch(t, c.mailpit, `to:"@`+c.domain+`"`); len(msgs) >= queued {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	copies := map[string][]time.Time{}
	for _, m := range msgs {
		copies[m.MessageID] = append(copies[m.MessageID], m.Created)
	}
	twice := 0
	for id, at := range copies {
		if len(at) == 1 {
			continue
		}
		// A sender killed after the mail server took a message but before
		// it could record the send: another replica sends it again once
		// the claim runs out, with the same Message-ID.
		slices.SortFunc(at, time.Time.Compare)
		twice++
		if len(at) > 2 || at[0].After(killedAt) || at[1].Before(killedAt) {
			t.Errorf("message %s delivered %d times, at %v (the kill at %v)", id, len(at), at, killedAt)
		}
	}
	if len(msgs)-twice != queued || len(copies) != queued {
		t.Errorf("Mailpit holds %d messages (%d distinct) of this run; the outbox queued %d", len(msgs), len(copies), queued)
	}
	if twice > mail.DefaultWorkers {
		t.Errorf("%d messages delivered twice; at most the %d the killed replica was sending", twice, mail.DefaultWorkers)
	}
	outbox := c.dbPairs(t, `SELECT recipient, subject FROM mail_outbox`)
	lost := 0
	for w, u := range l.users {
		var acked, failed, atRisk int
		for _, op := range l.ops {
			if op.kind != "forgot" || op.worker != w {
				continue
			}
			switch {
			case op.acked() && op.instance == replicaName(0) && op.end.Before(killedAt):
				atRisk++
				acked++
			case op.acked():
				acked++
			case op.failed():
				failed++
			}
		}
		n := outbox[[2]string{u.email, "Reset your password"}]
		if n < acked-atRisk || n > acked+failed {
			t.Errorf("%s: %d reset mails queued; %d requests acknowledged (%d by the killed replica), %d failed",
				u.username, n, acked, atRisk, failed)
			for _, op := range l.ops {
				if op.kind == "forgot" && op.worker == w {
					t.Logf("  %s by %q %d, %v..%v after the kill", op.id, op.instance, op.status, op.start.Sub(killedAt), op.end.Sub(killedAt))
				}
			}
		}
		lost += max(0, acked-n)
	}
	t.Logf("mail: %d queued, %d delivered, each once but %d sent again after the sender died mid-send; reset requests acknowledged %d, failed %d; %d acknowledged but lost with the killed replica",
		queued, len(copies), twice, l.count("forgot", (*loadOp).acked), l.count("forgot", (*loadOp).failed), lost)
}
