package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pageIDs GETs path (a page of posts) as token and returns the posts' ids
// and the next cursor.
func (h *harness) pageIDs(t *testing.T, path, token string) ([]string, string) {
	t.Helper()
	st, body := h.do(t, "GET", path, token, nil)
	wantSuccess(t, st, body, http.StatusOK)
	var ids []string
	for _, p := range list(t, body, "data", "posts") {
		ids = append(ids, p.(map[string]any)["_id"].(string))
	}
	next, _ := body["next"].(string)
	return ids, next
}

func TestHomeFeed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice, bob, carol := h.signup(t, "alice"), h.signup(t, "bob"), h.signup(t, "carol")
		if st, body := h.do(t, "POST", "/instamern/users/follow/bob", alice.Token, nil); st != http.StatusOK {
			t.Fatalf("follow: %d %v", st, body)
		}
		b1 := h.post(t, bob, "bob 1")
		h.post(t, carol, "carol 1")
		a1 := h.post(t, alice, "alice 1")
		b2 := h.post(t, bob, "bob 2")

		t.Run("FolloweesAndSelfNewestFirst", func(t *testing.T) {
			ids, next := h.pageIDs(t, "/instamern/posts/home", alice.Token)
			if diff := cmp.Diff([]string{b2, a1, b1}, ids); diff != "" {
				t.Errorf("home feed (-want +got):\n%s", diff)
			}
			if next != "" {
				t.Errorf("next %q on the last page", next)
			}
			// Carol follows nobody: her own post only.
			if ids, _ := h.pageIDs(t, "/instamern/posts/home", carol.Token); len(ids) != 1 {
				t.Errorf("carol's home feed %v; want her one post", ids)
			}
		})

		t.Run("FeedShapeWithSaved", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/posts/home?limit=1", alice.Token, nil)
			wantSuccess(t, st, body, http.StatusOK)
			p := list(t, body, "data", "posts")[0].(map[string]any)
			mustHave(t, p, "_id", "id", "caption", "photo", "postedBy", "likes", "postedAt", "like", "comment", "saved")
			if p["saved"] != false || p["postedBy"] != bob.ID || body["results"] != 1.0 {
				t.Errorf("first home post %v (results %v)", p, body["results"])
			}
		})

		t.Run("KeysetPages", func(t *testing.T) {
			var all []string
			path := "/instamern/posts/home?limit=2"
			for range 5 {
				ids, next := h.pageIDs(t, path, alice.Token)
				all = append(all, ids...)
				if next == "" {
					break
				}
				h.post(t, bob, "newer, not on later pages")
				path = "/instamern/posts/home?limit=2&before=" + url.QueryEscape(next)
			}
			if diff := cmp.Diff([]string{b2, a1, b1}, all); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})

		t.Run("Unfollowed", func(t *testing.T) {
			h2 := newHarness(t, b)
			dan, eve := h2.signup(t, "dan"), h2.signup(t, "eve")
			h2.do(t, "POST", "/instamern/users/follow/eve", dan.Token, nil)
			h2.post(t, eve, "eve 1")
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); len(ids) != 1 {
				t.Fatalf("dan's home feed %v; want eve's post", ids)
			}
			h2.do(t, "POST", "/instamern/users/unfollow/eve", dan.Token, nil)
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); len(ids) != 0 {
				t.Errorf("dan's home feed after unfollowing %v; want none", ids)
			}
		})

		t.Run("MutedAndBlockedLeave", func(t *testing.T) {
			h2 := newHarness(t, b)
			dan, eve, fay := h2.signup(t, "dan"), h2.signup(t, "eve"), h2.signup(t, "fay")
			h2.do(t, "POST", "/instamern/users/follow/eve", dan.Token, nil)
			h2.do(t, "POST", "/instamern/users/follow/fay", dan.Token, nil)
			pe, pf := h2.post(t, eve, "eve 1"), h2.post(t, fay, "fay 1")
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); len(ids) != 2 {
				t.Fatalf("dan's home feed %v; want eve's and fay's posts", ids)
			}
			st, body := h2.do(t, "POST", "/instamern/users/mute/eve", dan.Token, nil)
			wantSuccess(t, st, body, http.StatusOK)
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); !cmp.Equal(ids, []string{pf}) {
				t.Errorf("dan's home feed with eve muted %v; want fay's post only", ids)
			}
			st, body = h2.do(t, "POST", "/instamern/users/block/dan", fay.Token, nil)
			wantSuccess(t, st, body, http.StatusOK)
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); len(ids) != 0 {
				t.Errorf("dan's home feed once fay blocks him %v; want none", ids)
			}
			h2.do(t, "POST", "/instamern/users/unmute/eve", dan.Token, nil)
			if ids, _ := h2.pageIDs(t, "/instamern/posts/home", dan.Token); !cmp.Equal(ids, []string{pe}) {
				t.Errorf("dan's home feed after unmuting eve %v; want eve's post", ids)
			}
		})

		t.Run("Anonymous", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/posts/home", "", nil)
			wantFail(t, st, body, http.StatusUnauthorized, "You're not logged in. Please login.")
		})

		t.Run("BadPage", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/posts/home?before=nope", alice.Token, nil)
			wantFail(t, st, body, http.StatusBadRequest, "The cursor is not valid.")
			st, body = h.do(t, "GET", "/instamern/posts/home?limit=0", alice.Token, nil)
			wantFail(t, st, body, http.StatusBadRequest, "The limit must be a positive whole number.")
		})

		t.Run("GlobalFeedUnchanged", func(t *testing.T) {
			ids, _ := h.pageIDs(t, "/instamern/posts?limit=100", "")
			if len(ids) < 4 {
				t.Errorf("global feed %v; want every post, carol's too", ids)
			}
		})
	})
}
