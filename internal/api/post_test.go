package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

// P3: upload a post.
func TestUploadPost(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")

		t.Run("OK", func(t *testing.T) {
			caption := "  " + strings.Repeat("é", 256) + "  " // trimmed to exactly the limit
			st, body := h.upload(t, "/instamern/posts/upload", alice.Token, "post", "p.jpg", jpegImage(t, 64, 80), map[string]string{"caption": caption})
			wantSuccess(t, st, body, http.StatusCreated)
			if body["message"] != "Your post has been uploaded successfully." {
				t.Errorf("message %q", body["message"])
			}
			p := obj(t, body, "data", "post")
			mustHave(t, p, "_id", "id", "caption", "photo", "postedBy", "likes", "postedAt")
			if p["_id"] != p["id"] || p["postedBy"] != alice.ID || p["caption"] != strings.Repeat("é", 256) {
				t.Errorf("post %v", p)
			}
			if l := list(t, p, "likes"); len(l) != 0 {
				t.Errorf("likes %v", l)
			}
			h.fetchImage(t, p["photo"].(string))
		})

		t.Run("EmptyCaption", func(t *testing.T) {
			st, body := h.upload(t, "/instamern/posts/upload", alice.Token, "post", "p.png", pngImage(t, 30, 30), map[string]string{"caption": ""})
			wantSuccess(t, st, body, http.StatusCreated)
		})

		t.Run("CaptionTooLongStoresNothing", func(t *testing.T) { // B7
			h2 := newHarness(t, b)
			bob := h2.signup(t, "bob")
			st, body := h2.upload(t, "/instamern/posts/upload", bob.Token, "post", "p.jpg", jpegImage(t, 64, 80),
				map[string]string{"caption": strings.Repeat("x", 257)})
			wantFail(t, st, body, 400, "The caption text must be 256 characters the most.")
			if objs, _ := h2.blobs.List(t.Context(), ""); len(objs) != 0 {
				t.Errorf("blobs written: %v", objs)
			}
			_, feed := h2.do(t, "GET", "/instamern/posts", "", nil)
			if n := len(list(t, feed, "data", "posts")); n != 0 {
				t.Errorf("%d posts stored", n)
			}
		})

		t.Run("Anonymous", func(t *testing.T) {
			st, body := h.upload(t, "/instamern/posts/upload", "", "post", "p.jpg", jpegImage(t, 10, 10), nil)
			wantFail(t, st, body, 401, "You're not logged in. Please login.")
		})
	})
}

// fetchImage GETs a photo URL: absolute, served by /media with an
// image type and immutable caching.
func (h *harness) fetchImage(t *testing.T, u string) {
	t.Helper()
	if !strings.HasPrefix(u, h.srv.URL+"/media/") {
		t.Fatalf("photo URL %q is not an absolute /media URL", u)
	}
	res, raw := h.request(t, "GET", strings.TrimPrefix(u, h.srv.URL), "", nil, map[string]string{"Origin": "https://elsewhere.example"})
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || len(raw) < 100 {
		t.Fatalf("GET %s: %d %q %d bytes", u, res.StatusCode, res.Header.Get("Content-Type"), len(raw))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if string(raw[:2]) != "\xff\xd8" {
		t.Errorf("not a JPEG")
	}
}

// P1, B5, B6: the feed is newest first with exact counts and keyset pages.
func TestFeed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		var ids []string // oldest first
		for i := range 7 {
			if i != 3 { // posts 2 and 3 share a millisecond: the id breaks the tie
				h.clock.Advance(time.Second)
			}
			ids = append(ids, h.post(t, alice, fmt.Sprintf("post %d", i)))
		}
		h.do(t, "POST", "/instamern/posts/like/"+ids[6], bob.Token, nil)
		h.do(t, "POST", "/instamern/posts/comments/"+ids[6], bob.Token, map[string]any{"comment": "one"})
		h.do(t, "POST", "/instamern/posts/comments/"+ids[6], alice.Token, map[string]any{"comment": "two"})

		t.Run("Shape", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/posts/", "", nil)
			wantSuccess(t, st, body, 200)
			posts := list(t, body, "data", "posts")
			if len(posts) != 7 || body["results"] != float64(7) {
				t.Fatalf("%d posts, results %v", len(posts), body["results"])
			}
			var got []string
			seen := map[string]bool{}
			for _, it := range posts {
				p := it.(map[string]any)
				mustHave(t, p, "_id", "postedBy", "photo", "caption", "likes", "like", "comment", "postedAt")
				got = append(got, p["_id"].(string))
				seen[p["postedAt"].(string)] = true
			}
			if want := reversed(ids); !cmp.Equal(got, want) {
				t.Errorf("order %v, want newest first %v", got, want)
			}
			if len(seen) != 6 { // B5: real, distinct times (two posts share one on purpose)
				t.Errorf("postedAt values %v", seen)
			}
			top := posts[0].(map[string]any)
			if top["like"] != float64(1) || top["comment"] != float64(2) || !cmp.Equal(strs(t, list(t, top, "likes")), []string{bob.ID}) {
				t.Errorf("counts: %v", top)
			}
			want := h.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")
			if top["postedAt"] != want {
				t.Errorf("postedAt %v, want %v", top["postedAt"], want)
			}
		})

		t.Run("Pages", func(t *testing.T) {
			var got []string
			path := "/instamern/posts?limit=2"
			for page := 0; ; page++ {
				if page > 10 {
					t.Fatal("paging does not end")
				}
				st, body := h.do(t, "GET", path, "", nil)
				wantSuccess(t, st, body, 200)
				for _, it := range list(t, body, "data", "posts") {
					got = append(got, it.(map[string]any)["_id"].(string))
				}
				if page == 0 { // a new post between pages must not shift the pages
					h.clock.Advance(time.Second)
					h.post(t, bob, "late")
				}
				next, _ := body["next"].(string)
				if next == "" {
					break
				}
				path = "/instamern/posts?limit=2&before=" + next
			}
			if want := reversed(ids); !cmp.Equal(got, want) {
				t.Errorf("paged %v, want %v", got, want)
			}
		})

		for _, q := range []string{"limit=abc", "limit=0", "limit=-1", "before=garbage", "before=123_xyz"} {
			t.Run("Bad_"+q, func(t *testing.T) {
				st, body := h.do(t, "GET", "/instamern/posts?"+q, "", nil)
				wantFail(t, st, body, 400, "")
			})
		}
	})
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// P2, B23: post detail with id, likes and addressable comments.
func TestPostDetail(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		id := h.post(t, alice, "hello")
		h.do(t, "POST", "/instamern/posts/like/"+id, bob.Token, nil)
		h.do(t, "POST", "/instamern/posts/comments/"+id, bob.Token, map[string]any{"comment": "  first  "})
		h.clock.Advance(time.Millisecond)
		h.do(t, "POST", "/instamern/posts/comments/"+id, alice.Token, map[string]any{"comment": "second"})

		st, body := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
		wantSuccess(t, st, body, 200)
		p := obj(t, body, "data", "post")
		mustHave(t, p, "_id", "id", "photo", "postedBy", "caption", "likes", "comments", "postedAt")
		if p["id"] != id || p["_id"] != id || p["postedBy"] != alice.ID || p["caption"] != "hello" {
			t.Errorf("post %v", p)
		}
		if got := strs(t, list(t, p, "likes")); !cmp.Equal(got, []string{bob.ID}) {
			t.Errorf("likes %v", got)
		}
		var got [][2]string
		for _, it := range list(t, p, "comments") {
			c := it.(map[string]any)
			if !gram.ValidID(c["_id"].(string)) || c["commentedPost"] != id {
				t.Errorf("comment %v", c)
			}
			got = append(got, [2]string{c["commentedBy"].(string), c["comment"].(string)})
		}
		if want := [][2]string{{bob.ID, "first"}, {alice.ID, "second"}}; !cmp.Equal(got, want) {
			t.Errorf("comments %v, want %v", got, want)
		}
		h.fetchImage(t, p["photo"].(string))

		for _, path := range []string{"/instamern/posts/0123456789abcdef01234567", "/instamern/posts/nope", "/instamern/posts/%7B%24gt%7D"} {
			st, body := h.do(t, "GET", path, "", nil)
			wantFail(t, st, body, 404, "The post no longer active.") // B25: never a 500
		}
	})
}

// P4, B8: the like toggle.
func TestLike(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		id := h.post(t, alice, "like me")
		like := func(t *testing.T, u user) string {
			t.Helper()
			st, body := h.do(t, "POST", "/instamern/posts/like/"+id, u.Token, nil)
			wantSuccess(t, st, body, 200)
			return body["message"].(string)
		}
		count := func(t *testing.T) float64 {
			t.Helper()
			_, body := h.do(t, "GET", "/instamern/posts", "", nil)
			return list(t, body, "data", "posts")[0].(map[string]any)["like"].(float64)
		}
		notes := func(t *testing.T, u user) int {
			t.Helper()
			_, me := h.do(t, "GET", "/instamern/users/authorization/current-user", u.Token, nil)
			n := 0
			for _, it := range list(t, me, "data", "user", "notifications") {
				if it.(map[string]any)["notification"] == "liked your photo." {
					n++
				}
			}
			return n
		}

		t.Run("Toggle", func(t *testing.T) {
			for i, want := range []string{"Liked!", "Unliked.", "Liked!"} {
				if got := like(t, bob); got != want {
					t.Fatalf("toggle %d: %q, want %q", i, got, want)
				}
			}
			if c := count(t); c != 1 {
				t.Errorf("like count %v", c)
			}
			if n := notes(t, alice); n != 1 {
				t.Errorf("%d like notifications after like/unlike/like, want 1", n)
			}
			like(t, alice) // own post: no notification
			if n := notes(t, alice); n != 1 {
				t.Errorf("own like notified")
			}
			if c := count(t); c != 2 {
				t.Errorf("like count %v", c)
			}
		})

		// 50 users toggle a like on one post at once, twice. No
		// request fails (a deadlock or serialization failure that escaped
		// the store's retry would be a 500), and the counter, the likers
		// and the notifications are exact: no like lost or duplicated.
		t.Run("Concurrent50", func(t *testing.T) {
			id2 := h.post(t, alice, "race")
			var users []user
			var want []string
			for i := range 50 {
				u := h.signup(t, fmt.Sprintf("racer%02d", i))
				users, want = append(users, u), append(want, u.ID)
			}
			slices.Sort(want)
			notesBefore := notes(t, alice)
			toggleAll := func(wantMsg string) {
				var wg sync.WaitGroup
				errs := make(chan string, len(users))
				for _, u := range users {
					wg.Go(func() {
						res, raw := h.request(t, "POST", "/instamern/posts/like/"+id2, u.Token, nil, nil)
						if res.StatusCode != 200 || !strings.Contains(string(raw), wantMsg) {
							errs <- fmt.Sprintf("%d %s", res.StatusCode, raw)
						}
					})
				}
				wg.Wait()
				close(errs)
				for e := range errs {
					t.Errorf("toggle: %s", e)
				}
			}
			likers := func() (float64, []string) {
				_, body := h.do(t, "GET", "/instamern/posts/"+id2, "", nil)
				p := obj(t, body, "data", "post")
				var ids []string
				for _, l := range list(t, p, "likes") {
					ids = append(ids, fmt.Sprint(l))
				}
				slices.Sort(ids)
				return p["like"].(float64), ids
			}
			toggleAll("Liked!")
			if c, ids := likers(); c != 50 || !slices.Equal(ids, want) {
				t.Errorf("after 50 likes: like %v, likes[] %d ids (want the 50 racers, once each)", c, len(ids))
			}
			if n := notes(t, alice) - notesBefore; n != 50 {
				t.Errorf("%d new like notifications, want 50", n)
			}
			toggleAll("Unliked.")
			if c, ids := likers(); c != 0 || len(ids) != 0 {
				t.Errorf("after 50 unlikes: like %v, likes[] %d", c, len(ids))
			}
		})

		for _, tc := range []struct{ name, path, token string }{
			{"Unknown", "/instamern/posts/like/0123456789abcdef01234567", bob.Token},
			{"Malformed", "/instamern/posts/like/zzz", bob.Token},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "POST", tc.path, tc.token, nil)
				wantFail(t, st, body, 404, "Not found posts to like.")
			})
		}
		t.Run("Anonymous", func(t *testing.T) {
			res, raw := h.request(t, "POST", "/instamern/posts/like/"+id, "", nil, map[string]string{"Authorization": "Bearer null"})
			wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 401, "Authorization failed. Please login.")
		})
	})
}

// makeModerator gives u the moderator role through the store.
func (h *harness) makeModerator(t *testing.T, u user) {
	t.Helper()
	if _, err := h.store.UpdateUser(context.Background(), u.ID, func(x *gram.User) error { x.Role = gram.RoleModerator; return nil }); err != nil {
		t.Fatal(err)
	}
}

// P5, B4: update a post's caption (owner only; staff moderate by deleting).
func TestUpdatePost(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		mod := h.signup(t, "mod")
		h.makeModerator(t, mod)
		id := h.post(t, alice, "old")
		caption := func() any {
			_, body := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
			return obj(t, body, "data", "post")["caption"]
		}

		for _, tc := range []struct {
			name, token, caption string
		}{{"Owner", alice.Token, " new <i>caption</i> "}} {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "POST", "/instamern/posts/update/"+id, tc.token, map[string]any{"caption": tc.caption})
				wantSuccess(t, st, body, 200)
				if body["message"] != "Your post has been updated successfully." {
					t.Errorf("message %q", body["message"])
				}
				if want := strings.TrimSpace(tc.caption); caption() != want { // markup is text, kept as typed
					t.Errorf("caption %v, want %q", caption(), want)
				}
			})
		}

		cases := []struct {
			name, path, token string
			body              map[string]any
			status            int
			msg               string
		}{
			{"NotOwner", "/instamern/posts/update/" + id, bob.Token, map[string]any{"caption": "mine now"}, 403, "You cannot update someone else's post."},
			{"Moderator", "/instamern/posts/update/" + id, mod.Token, map[string]any{"caption": "moderated"}, 403, "You cannot update someone else's post."},
			{"Photo", "/instamern/posts/update/" + id, alice.Token, map[string]any{"photo": "x"}, 400, "You cannot change the post photo."},
			{"PostedBy", "/instamern/posts/update/" + id, alice.Token, map[string]any{"postedBy": bob.ID}, 400, "You cannot change post owner."},
			{"PostedAt", "/instamern/posts/update/" + id, alice.Token, map[string]any{"postedAt": "2020-01-01"}, 400, "You cannot change post's date."},
			{"Blank", "/instamern/posts/update/" + id, alice.Token, map[string]any{"caption": "   "}, 400, "Please set a new caption for the post."},
			{"TooLong", "/instamern/posts/update/" + id, alice.Token, map[string]any{"caption": strings.Repeat("x", 257)}, 400, "The caption text must be 256 characters the most."},
			{"Unknown", "/instamern/posts/update/0123456789abcdef01234567", alice.Token, map[string]any{"caption": "x"}, 404, "Not found post to update."},
			{"Malformed", "/instamern/posts/update/xyz", alice.Token, map[string]any{"caption": "x"}, 404, "Not found post to update."},
			{"Anonymous", "/instamern/posts/update/" + id, "", map[string]any{"caption": "x"}, 401, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := caption()
				st, body := h.do(t, "POST", tc.path, tc.token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
				if caption() != before {
					t.Errorf("caption changed to %v", caption())
				}
			})
		}
	})
}

// P6, B4: delete a post (owner or staff) with its photo.
func TestDeletePost(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		mod := h.signup(t, "mod")
		h.makeModerator(t, mod)

		for _, tc := range []struct {
			name  string
			token string
		}{{"Owner", alice.Token}, {"Moderator", mod.Token}} {
			t.Run(tc.name, func(t *testing.T) {
				id := h.post(t, alice, "bye")
				h.do(t, "POST", "/instamern/posts/comments/"+id, bob.Token, map[string]any{"comment": "c"})
				_, detail := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
				photo := strings.TrimPrefix(obj(t, detail, "data", "post")["photo"].(string), h.srv.URL)

				st, body := h.do(t, "DELETE", "/instamern/posts/delete/"+id, bob.Token, nil)
				wantFail(t, st, body, 403, "You cannot delete someone else's post.")

				st, body = h.do(t, "DELETE", "/instamern/posts/delete/"+id, tc.token, nil)
				wantSuccess(t, st, body, 200)
				st, body = h.do(t, "GET", "/instamern/posts/"+id, "", nil)
				wantFail(t, st, body, 404, "The post no longer active.")
				if res, _ := h.request(t, "GET", photo, "", nil, nil); res.StatusCode != 404 {
					t.Errorf("photo still served: %d", res.StatusCode)
				}
				st, body = h.do(t, "DELETE", "/instamern/posts/delete/"+id, tc.token, nil)
				wantFail(t, st, body, 404, "Not found post to delete.")
			})
		}
		st, body := h.do(t, "DELETE", "/instamern/posts/delete/bad", alice.Token, nil)
		wantFail(t, st, body, 404, "Not found post to delete.")
	})
}

// P7, P8, B23: comments are trimmed, limited, notify the author, and can
// be deleted by id.
func TestComments(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		carl := h.signup(t, "carl")
		mod := h.signup(t, "mod")
		h.makeModerator(t, mod)
		id := h.post(t, alice, "talk")
		comment := func(t *testing.T, u user, text string) string {
			t.Helper()
			st, body := h.do(t, "POST", "/instamern/posts/comments/"+id, u.Token, map[string]any{"comment": text})
			wantSuccess(t, st, body, http.StatusCreated)
			if body["message"] != "Commented!" {
				t.Errorf("message %q", body["message"])
			}
			return obj(t, body, "data", "comment")["_id"].(string)
		}
		commentIDs := func(t *testing.T) []string {
			t.Helper()
			_, body := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
			var ids []string
			for _, it := range list(t, body, "data", "post", "comments") {
				ids = append(ids, it.(map[string]any)["_id"].(string))
			}
			return ids
		}

		t.Run("Add", func(t *testing.T) {
			comment(t, bob, "\t  hi alice \n")
			comment(t, alice, strings.Repeat("x", 2200))
			_, body := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
			cs := list(t, body, "data", "post", "comments")
			if len(cs) != 2 || cs[0].(map[string]any)["comment"] != "hi alice" {
				t.Errorf("comments %v", cs)
			}
			_, me := h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			var texts []string
			for _, it := range list(t, me, "data", "user", "notifications") {
				n := it.(map[string]any)
				texts = append(texts, n["notification"].(string))
				if n["notifiedBy"] != bob.ID {
					t.Errorf("notifiedBy %v", n["notifiedBy"])
				}
			}
			if !cmp.Equal(texts, []string{"commented your photo."}) {
				t.Errorf("notifications %v (own comment must not notify)", texts)
			}
		})

		cases := []struct {
			name, path string
			body       any
			status     int
			msg        string
		}{
			{"Blank", "/instamern/posts/comments/" + id, map[string]any{"comment": " \n\t "}, 400, "Comment cannot be blank."},
			{"Missing", "/instamern/posts/comments/" + id, map[string]any{}, 400, "Comment cannot be blank."},
			{"NoBody", "/instamern/posts/comments/" + id, nil, 400, "Comment cannot be blank."},
			{"TooLong", "/instamern/posts/comments/" + id, map[string]any{"comment": strings.Repeat("x", 2201)}, 400, "A comment cannot be longer than 2200 characters."},
			{"WrongType", "/instamern/posts/comments/" + id, map[string]any{"comment": []string{"x"}}, 400, ""},
			{"UnknownPost", "/instamern/posts/comments/0123456789abcdef01234567", map[string]any{"comment": "x"}, 404, "Not found any posts to comment."},
			{"MalformedPost", "/instamern/posts/comments/123", map[string]any{"comment": "x"}, 404, "Not found any posts to comment."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "POST", tc.path, carl.Token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}
		if n := len(commentIDs(t)); n != 2 {
			t.Fatalf("%d comments after rejected ones, want 2", n)
		}

		t.Run("Delete", func(t *testing.T) {
			byBob := comment(t, bob, "bob's")
			byCarl := comment(t, carl, "carl's")
			byCarl2 := comment(t, carl, "carl's again")
			st, body := h.do(t, "DELETE", "/instamern/posts/comments/"+byBob, carl.Token, nil)
			wantFail(t, st, body, 403, "You cannot delete someone else's comment.")
			for _, tc := range []struct {
				id string
				by user
			}{{byBob, bob}, {byCarl, alice}, {byCarl2, mod}} { // author, post owner, staff
				st, body := h.do(t, "DELETE", "/instamern/posts/comments/"+tc.id, tc.by.Token, nil)
				wantSuccess(t, st, body, 200)
				if got := commentIDs(t); slices.Contains(got, tc.id) {
					t.Errorf("after deleting %s: %v", tc.id, got)
				}
			}
			if got := commentIDs(t); len(got) != 2 {
				t.Errorf("comments left %v, want the 2 first ones", got)
			}
			_, feed := h.do(t, "GET", "/instamern/posts", "", nil)
			if c := list(t, feed, "data", "posts")[0].(map[string]any)["comment"]; c != float64(2) {
				t.Errorf("comment count %v, want 2", c)
			}
			st, body = h.do(t, "DELETE", "/instamern/posts/comments/"+byBob, bob.Token, nil)
			wantFail(t, st, body, 404, "Not found any comment to delete.")
			st, body = h.do(t, "DELETE", "/instamern/posts/comments/x", bob.Token, nil)
			wantFail(t, st, body, 404, "Not found any comment to delete.")
		})
	})
}
