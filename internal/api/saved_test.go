package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// savedFlags GETs a page of posts as token and returns each post's
// "saved" field (nil when absent) by id.
func (h *harness) savedFlags(t *testing.T, path, token string) map[string]any {
	t.Helper()
	st, body := h.do(t, "GET", path, token, nil)
	wantSuccess(t, st, body, http.StatusOK)
	out := map[string]any{}
	for _, p := range list(t, body, "data", "posts") {
		m := p.(map[string]any)
		out[m["_id"].(string)] = m["saved"]
	}
	return out
}

func (h *harness) save(t *testing.T, method, postID, token string) {
	t.Helper()
	st, body := h.do(t, method, "/instamern/posts/save/"+postID, token, nil)
	wantSuccess(t, st, body, http.StatusOK)
	want := map[string]string{"POST": "Saved.", "DELETE": "Removed from your saved posts."}[method]
	if body["message"] != want {
		t.Errorf("%s save: message %v; want %q", method, body["message"], want)
	}
}

func TestSavedPosts(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice, bob := h.signup(t, "alice"), h.signup(t, "bob")
		p1, p2, p3 := h.post(t, bob, "one"), h.post(t, bob, "two"), h.post(t, bob, "three")

		t.Run("SaveIsIdempotent", func(t *testing.T) {
			h.save(t, "POST", p1, alice.Token)
			h.save(t, "POST", p1, alice.Token)
			ids, _ := h.pageIDs(t, "/instamern/posts/saved", alice.Token)
			if diff := cmp.Diff([]string{p1}, ids); diff != "" {
				t.Errorf("saved (-want +got):\n%s", diff)
			}
		})

		t.Run("SavedFlagForTheViewer", func(t *testing.T) {
			if diff := cmp.Diff(map[string]any{p1: true, p2: false, p3: false}, h.savedFlags(t, "/instamern/posts", alice.Token)); diff != "" {
				t.Errorf("feed as alice (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]any{p1: false, p2: false, p3: false}, h.savedFlags(t, "/instamern/posts", bob.Token)); diff != "" {
				t.Errorf("feed as bob (-want +got): alice's saves are hers\n%s", diff)
			}
			if diff := cmp.Diff(map[string]any{p1: nil, p2: nil, p3: nil}, h.savedFlags(t, "/instamern/posts", "")); diff != "" {
				t.Errorf("feed anonymous (-want +got): no saved field\n%s", diff)
			}
			h.do(t, "POST", "/instamern/users/follow/bob", alice.Token, nil)
			if diff := cmp.Diff(map[string]any{p1: true, p2: false, p3: false}, h.savedFlags(t, "/instamern/posts/home", alice.Token)); diff != "" {
				t.Errorf("home as alice (-want +got):\n%s", diff)
			}
			for _, c := range []struct {
				token string
				want  any
			}{{alice.Token, true}, {bob.Token, false}, {"", nil}} {
				st, body := h.do(t, "GET", "/instamern/posts/"+p1, c.token, nil)
				wantSuccess(t, st, body, http.StatusOK)
				if got := obj(t, body, "data", "post")["saved"]; got != c.want {
					t.Errorf("post detail saved = %v; want %v", got, c.want)
				}
			}
		})

		t.Run("ListedBySaveTimeAndPaged", func(t *testing.T) {
			h.clock.Advance(time.Second)
			h.save(t, "POST", p3, alice.Token)
			h.clock.Advance(time.Second) // saves at one time tie, then go by post id
			h.save(t, "POST", p2, alice.Token)
			var all []string
			path := "/instamern/posts/saved?limit=2"
			for range 5 {
				st, body := h.do(t, "GET", path, alice.Token, nil)
				wantSuccess(t, st, body, http.StatusOK)
				for _, p := range list(t, body, "data", "posts") {
					m := p.(map[string]any)
					all = append(all, m["_id"].(string))
					if m["saved"] != true {
						t.Errorf("saved post %v without saved: true", m["_id"])
					}
				}
				next, _ := body["next"].(string)
				if next == "" {
					break
				}
				path = "/instamern/posts/saved?limit=2&before=" + url.QueryEscape(next)
			}
			if diff := cmp.Diff([]string{p2, p3, p1}, all); diff != "" {
				t.Errorf("saved, most recent save first (-want +got):\n%s", diff)
			}
			if ids, _ := h.pageIDs(t, "/instamern/posts/saved", bob.Token); len(ids) != 0 {
				t.Errorf("bob's saved %v; want none (alice's are private)", ids)
			}
		})

		t.Run("UnsaveIsIdempotent", func(t *testing.T) {
			h.save(t, "DELETE", p3, alice.Token)
			h.save(t, "DELETE", p3, alice.Token)
			ids, _ := h.pageIDs(t, "/instamern/posts/saved", alice.Token)
			if diff := cmp.Diff([]string{p2, p1}, ids); diff != "" {
				t.Errorf("saved after unsave (-want +got):\n%s", diff)
			}
		})

		t.Run("DeletedPostLeavesTheList", func(t *testing.T) {
			st, body := h.do(t, "DELETE", "/instamern/posts/delete/"+p2, bob.Token, nil)
			wantSuccess(t, st, body, http.StatusOK)
			ids, _ := h.pageIDs(t, "/instamern/posts/saved", alice.Token)
			if diff := cmp.Diff([]string{p1}, ids); diff != "" {
				t.Errorf("saved after deleting p2 (-want +got):\n%s", diff)
			}
			st, body = h.do(t, "DELETE", "/instamern/posts/save/"+p2, alice.Token, nil)
			wantFail(t, st, body, http.StatusNotFound, "Not found post to unsave.")
		})

		t.Run("DeletedAccountTakesItsSaves", func(t *testing.T) {
			h2 := newHarness(t, b)
			dan, eve := h2.signup(t, "dan"), h2.signup(t, "eve")
			pe := h2.post(t, eve, "eve's")
			h2.save(t, "POST", pe, dan.Token)
			st, body := h2.do(t, "DELETE", "/instamern/users/delete", eve.Token, map[string]string{"currentPassword": testPassword})
			wantSuccess(t, st, body, http.StatusOK)
			if ids, _ := h2.pageIDs(t, "/instamern/posts/saved", dan.Token); len(ids) != 0 {
				t.Errorf("dan's saved after eve deleted her account: %v", ids)
			}
			var n int
			if err := h2.store.DB().QueryRowContext(t.Context(), "SELECT count(*) FROM saves").Scan(&n); err != nil || n != 0 {
				t.Errorf("saves rows %d, %v; want 0", n, err)
			}
		})

		t.Run("Errors", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/posts/save/ffffffffffffffffffffffff", alice.Token, nil)
			wantFail(t, st, body, http.StatusNotFound, "Not found post to save.")
			st, body = h.do(t, "POST", "/instamern/posts/save/"+p1, "", nil)
			wantFail(t, st, body, http.StatusUnauthorized, "You're not logged in. Please login.")
			st, body = h.do(t, "GET", "/instamern/posts/saved", "", nil)
			wantFail(t, st, body, http.StatusUnauthorized, "You're not logged in. Please login.")
			st, body = h.do(t, "GET", "/instamern/posts/saved?before=1_x", alice.Token, nil)
			wantFail(t, st, body, http.StatusBadRequest, "The cursor is not valid.")
		})
	})
}
