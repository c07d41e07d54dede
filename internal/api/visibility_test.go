package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// visibilityWorld is the cast of TestVisibility: olive, whose account is
// viewed, and one viewer per relation to her. Hank is a third party:
// olive follows him, likes and comments on his post, so that her name
// shows in his lists.
type visibilityWorld struct {
	h                                       *harness
	olive, hank                             user
	olivePost, hankPost                     string
	viewers                                 map[string]user // by relation; "anonymous" has no token
	fern, sam, bert, bella, milo, pat, mona user
}

// relations are the viewers' relations to olive, in the order the table
// lists them.
var relations = []string{"self", "follower", "stranger", "blocked", "blocker", "muted", "pending", "moderator", "anonymous"}

// newVisibilityWorld builds the world with olive public; private makes
// her account private at the end (the follows made before stay).
func newVisibilityWorld(t *testing.T, b backend) *visibilityWorld {
	h := newHarness(t, b)
	w := &visibilityWorld{h: h, olive: h.signup(t, "olive"), hank: h.signup(t, "hank")}
	w.fern, w.sam, w.bert, w.bella = h.signup(t, "fern"), h.signup(t, "sam"), h.signup(t, "bert"), h.signup(t, "bella")
	w.milo, w.pat, w.mona = h.signup(t, "milo"), h.signup(t, "pat"), h.signup(t, "mona")
	h.setRole(t, w.mona, gram.RoleModerator)
	w.viewers = map[string]user{"self": w.olive, "follower": w.fern, "stranger": w.sam, "blocked": w.bert,
		"blocker": w.bella, "muted": w.milo, "pending": w.pat, "moderator": w.mona, "anonymous": {}}
	w.olivePost, w.hankPost = h.post(t, w.olive, "olive's"), h.post(t, w.hank, "hank's")
	if st, body := h.upload(t, "/instamern/stories/upload", w.olive.Token, "story", "s.jpg", jpegImage(t, 40, 40), nil); st != 201 {
		t.Fatalf("story: %d %v", st, body)
	}
	w.ok(t, "POST", "/instamern/users/follow/hank", w.olive)
	w.ok(t, "POST", "/instamern/posts/like/"+w.hankPost, w.olive)
	if st, body := h.do(t, "POST", "/instamern/posts/comments/"+w.hankPost, w.olive.Token, map[string]any{"comment": "hi hank"}); st != 201 {
		t.Fatalf("comment: %d %v", st, body)
	}
	// Olive likes a post of every viewer, so each has her notification.
	for _, rel := range relations {
		if v := w.viewers[rel]; v.Token != "" && v.ID != w.olive.ID {
			w.ok(t, "POST", "/instamern/posts/like/"+h.post(t, v, "by "+v.Username), w.olive)
		}
	}
	w.ok(t, "POST", "/instamern/users/follow/olive", w.fern)
	w.ok(t, "POST", "/instamern/users/block/bert", w.olive)
	w.ok(t, "POST", "/instamern/users/block/olive", w.bella)
	w.ok(t, "POST", "/instamern/users/mute/olive", w.milo)
	return w
}

// ok sends a request as u that must succeed, and returns its message.
func (w *visibilityWorld) ok(t *testing.T, method, path string, u user) string {
	t.Helper()
	st, body := w.h.do(t, method, path, u.Token, nil)
	if st != http.StatusOK {
		t.Fatalf("%s %s as %s: %d %v", method, path, u.Username, st, body)
	}
	msg, _ := body["message"].(string)
	return msg
}

// setPrivate makes olive's account private or public; going private, pat
// asks to follow her (the request stays when she goes public again).
func (w *visibilityWorld) setPrivate(t *testing.T, private bool) {
	t.Helper()
	if st, body := w.h.do(t, "PATCH", "/instamern/users/privacy", w.olive.Token, map[string]any{"private": private}); st != 200 {
		t.Fatalf("privacy: %d %v", st, body)
	}
	if private {
		if msg := w.ok(t, "POST", "/instamern/users/follow/olive", w.pat); msg != "Your follow request has been sent to olive." {
			t.Fatalf("pat's follow of private olive answered %q", msg)
		}
	}
}

// A read route, asked as one viewer, says what of olive the viewer sees.
type readRoute struct {
	name string
	see  func(t *testing.T, w *visibilityWorld, v user) string
}

// readRoutes walks every read route that can show olive or her content.
var readRoutes = []readRoute{
	{"profile", func(t *testing.T, w *visibilityWorld, v user) string {
		byID, byName := w.profile(t, v, "/instamern/users/id/"+w.olive.ID), w.profile(t, v, "/instamern/users/username/olive")
		if byID != byName {
			t.Errorf("%s: profile by id %s, by username %s", v.Username, byID, byName)
		}
		return byID
	}},
	{"post", func(t *testing.T, w *visibilityWorld, v user) string {
		st, _ := w.h.do(t, "GET", "/instamern/posts/"+w.olivePost, v.Token, nil)
		return fmt.Sprint(st)
	}},
	{"feed", func(t *testing.T, w *visibilityWorld, v user) string {
		_, body := w.h.do(t, "GET", "/instamern/posts?limit=100", v.Token, nil)
		return yesNo(slices.ContainsFunc(list(t, body, "data", "posts"), func(p any) bool {
			return p.(map[string]any)["postedBy"] == w.olive.ID
		}))
	}},
	{"stories", func(t *testing.T, w *visibilityWorld, v user) string {
		_, body := w.h.do(t, "GET", "/instamern/stories", v.Token, nil)
		return yesNo(slices.ContainsFunc(list(t, body, "data", "stories"), func(g any) bool {
			return g.(map[string]any)["_id"] == w.olive.ID
		}))
	}},
	{"search", func(t *testing.T, w *visibilityWorld, v user) string {
		_, body := w.h.do(t, "GET", "/instamern/users/search/oli", v.Token, nil)
		return yesNo(hasUser(list(t, body, "data", "users"), w.olive.ID))
	}},
	{"suggestions", func(t *testing.T, w *visibilityWorld, v user) string {
		// Random samples: olive must never be among the hidden ones'.
		for range 8 {
			_, body := w.h.do(t, "GET", "/instamern/users", v.Token, nil)
			if hasUser(list(t, body, "data", "users"), w.olive.ID) {
				return "yes"
			}
		}
		return "no"
	}},
	{"notifications", func(t *testing.T, w *visibilityWorld, v user) string {
		if v.Token == "" || v.ID == w.olive.ID {
			return "-"
		}
		_, body := w.h.do(t, "GET", "/instamern/users/authorization/current-user", v.Token, nil)
		return yesNo(slices.ContainsFunc(list(t, body, "data", "user", "notifications"), func(n any) bool {
			return n.(map[string]any)["notifiedBy"] == w.olive.ID
		}))
	}},
	{"third-party lists", func(t *testing.T, w *visibilityWorld, v user) string {
		// Olive's comment and like on hank's post, her follow of hank in
		// his profile and among the likers the feed lists.
		_, body := w.h.do(t, "GET", "/instamern/posts/"+w.hankPost, v.Token, nil)
		post := obj(t, body, "data", "post")
		seen := []bool{
			slices.ContainsFunc(post["comments"].([]any), func(c any) bool { return c.(map[string]any)["commentedBy"] == w.olive.ID }),
			slices.Contains(post["likes"].([]any), any(w.olive.ID)),
		}
		_, body = w.h.do(t, "GET", "/instamern/users/id/"+w.hank.ID, v.Token, nil)
		seen = append(seen, slices.Contains(obj(t, body, "data", "user")["followers"].([]any), any(w.olive.ID)))
		_, body = w.h.do(t, "GET", "/instamern/posts?limit=100", v.Token, nil)
		for _, p := range list(t, body, "data", "posts") {
			if p := p.(map[string]any); p["_id"] == w.hankPost {
				seen = append(seen, slices.Contains(p["likes"].([]any), any(w.olive.ID)))
			}
		}
		if slices.Contains(seen, true) && slices.Contains(seen, false) {
			t.Errorf("%s: olive in hank's comments, likers, followers, feed likers: %v; want all or none", v.Username, seen)
		}
		return yesNo(seen[0])
	}},
}

// profile says what a profile route shows: "full", "restricted" (a card
// with empty lists) or "hidden" (404).
func (w *visibilityWorld) profile(t *testing.T, v user, path string) string {
	st, body := w.h.do(t, "GET", path, v.Token, nil)
	switch {
	case st == http.StatusNotFound:
		return "hidden"
	case st != http.StatusOK:
		t.Fatalf("%s as %s: %d %v", path, v.Username, st, body)
	}
	u := obj(t, body, "data", "user")
	if u["restricted"] == true {
		if len(u["posts"].([]any))+len(u["followers"].([]any))+len(u["followings"].([]any)) != 0 {
			t.Errorf("%s as %s: a restricted profile with lists: %v", path, v.Username, u)
		}
		return "restricted"
	}
	return "full"
}

func hasUser(users []any, id string) bool {
	return slices.ContainsFunc(users, func(u any) bool { return u.(map[string]any)["_id"] == id })
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// visibilityTable is what each relation sees of olive on each read route,
// public and private: the rules of the domain's Relation, written out.
// A block hides both ways; a mute only empties the feeds; a private
// account shows a restricted profile and 403 on its posts to anyone but
// its followers and staff; the feeds are not a moderation tool.
var visibilityTable = map[bool]map[string][]string{
	// relation: profile, post, feed, stories, search, suggestions (never
	// for hidden ones; "any" otherwise), notifications, third-party lists.
	false: {
		"self":      {"full", "200", "yes", "yes", "yes", "any", "-", "yes"},
		"follower":  {"full", "200", "yes", "yes", "yes", "any", "yes", "yes"},
		"stranger":  {"full", "200", "yes", "yes", "yes", "any", "yes", "yes"},
		"blocked":   {"hidden", "404", "no", "no", "no", "no", "no", "no"},
		"blocker":   {"hidden", "404", "no", "no", "no", "no", "no", "no"},
		"muted":     {"full", "200", "no", "no", "yes", "any", "yes", "yes"},
		"pending":   {"full", "200", "yes", "yes", "yes", "any", "yes", "yes"},
		"moderator": {"full", "200", "yes", "yes", "yes", "any", "yes", "yes"},
		"anonymous": {"full", "200", "yes", "yes", "yes", "any", "-", "yes"},
	},
	true: {
		"self":      {"full", "200", "yes", "yes", "yes", "any", "-", "yes"},
		"follower":  {"full", "200", "yes", "yes", "yes", "any", "yes", "yes"},
		"stranger":  {"restricted", "403", "no", "no", "yes", "any", "yes", "yes"},
		"blocked":   {"hidden", "404", "no", "no", "no", "no", "no", "no"},
		"blocker":   {"hidden", "404", "no", "no", "no", "no", "no", "no"},
		"muted":     {"restricted", "403", "no", "no", "yes", "any", "yes", "yes"},
		"pending":   {"restricted", "403", "no", "no", "yes", "any", "yes", "yes"},
		"moderator": {"full", "200", "no", "no", "yes", "any", "yes", "yes"},
		"anonymous": {"restricted", "403", "no", "no", "yes", "any", "-", "yes"},
	},
}

// TestVisibility walks every read route for every relation to olive, with
// her account public, then private, then public again (the pending
// request stays, and changes nothing while she is public).
func TestVisibility(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		w := newVisibilityWorld(t, b)
		for _, private := range []bool{false, true, false} {
			w.setPrivate(t, private)
			for _, rel := range relations {
				v := w.viewers[rel]
				want := visibilityTable[private][rel]
				for i, r := range readRoutes {
					got := r.see(t, w, v)
					if want[i] == "any" {
						continue
					}
					if got != want[i] {
						t.Errorf("private=%v, %s (%s) on %s: %s; want %s", private, rel, v.Username, r.name, got, want[i])
					}
				}
			}
		}
	})
}
