package api_test

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/instamern/gram/internal/blob"
)

// S1, S2, story delete, B20: stories are grouped by user and expire
// after 24 hours.
func TestStories(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		mod := h.signup(t, "mod")
		h.makeModerator(t, mod)
		story := func(t *testing.T, u user) string {
			t.Helper()
			st, body := h.upload(t, "/instamern/stories/upload", u.Token, "story", "s.jpg", jpegImage(t, 90, 160), nil)
			wantSuccess(t, st, body, http.StatusCreated)
			if body["message"] != "Story has been uploaded." {
				t.Errorf("message %q", body["message"])
			}
			s := obj(t, body, "data", "story")
			mustHave(t, s, "_id", "photo", "storiedBy")
			if s["storiedBy"] != u.ID {
				t.Errorf("storiedBy %v", s["storiedBy"])
			}
			h.fetchImage(t, s["photo"].(string))
			return s["_id"].(string)
		}
		type group struct {
			ID      string
			Stories []string
		}
		groups := func(t *testing.T, token string) []group {
			t.Helper()
			st, body := h.do(t, "GET", "/instamern/stories/", token, nil)
			wantSuccess(t, st, body, 200)
			var out []group
			for _, it := range list(t, body, "data", "stories") {
				g := it.(map[string]any)
				var ids []string
				for _, s := range list(t, g, "stories") {
					s := s.(map[string]any)
					if p, _ := s["photo"].(string); !strings.HasPrefix(p, h.srv.URL+"/media/") {
						t.Errorf("story photo %v", s["photo"])
					}
					ids = append(ids, s["storyId"].(string))
				}
				out = append(out, group{g["_id"].(string), ids})
			}
			if body["results"] != float64(len(out)) {
				t.Errorf("results %v, want %d groups", body["results"], len(out))
			}
			return out
		}

		a1 := story(t, alice)
		h.clock.Advance(time.Hour)
		b1 := story(t, bob)
		h.clock.Advance(time.Hour)
		a2 := story(t, alice)

		t.Run("Grouped", func(t *testing.T) {
			want := []group{{alice.ID, []string{a1, a2}}, {bob.ID, []string{b1}}}
			if got := groups(t, ""); !cmp.Equal(got, want) {
				t.Errorf("groups %v, want %v", got, want)
			}
			// The viewer's own group comes first.
			want = []group{{bob.ID, []string{b1}}, {alice.ID, []string{a1, a2}}}
			if got := groups(t, bob.Token); !cmp.Equal(got, want) {
				t.Errorf("bob sees %v, want %v", got, want)
			}
		})

		t.Run("Expire", func(t *testing.T) { // B20
			h.clock.Advance(22*time.Hour + time.Millisecond) // a1 is now 24h old
			want := []group{{alice.ID, []string{a2}}, {bob.ID, []string{b1}}}
			if got := groups(t, ""); !cmp.Equal(got, want) {
				t.Errorf("after 24h: %v, want %v", got, want)
			}
			h.clock.Advance(2 * time.Hour)
			if got := groups(t, ""); len(got) != 0 {
				t.Errorf("after 26h: %v", got)
			}
		})

		t.Run("Sweep", func(t *testing.T) {
			photos := func() []string {
				return slices.DeleteFunc(blobKeys(t, h.blobs), func(k string) bool { return !strings.Contains(k, "/stories/") })
			}
			if n, err := h.svc.SweepStories(t.Context(), 500); err != nil || n != 3 {
				t.Fatalf("SweepStories = %d, %v; want the 3 expired stories", n, err)
			}
			d := &blob.Deleter{Queue: h.store, Blobs: h.blobs, Log: slog.New(slog.DiscardHandler)}
			if n, err := d.Flush(t.Context()); err != nil || n != 3 {
				t.Fatalf("deleter pass = %d, %v; want the 3 swept photos", n, err)
			}
			if got := photos(); len(got) != 0 {
				t.Errorf("story photos left after the sweep and the deleter: %q", got)
			}
		})

		t.Run("Delete", func(t *testing.T) {
			s1, s2 := story(t, alice), story(t, alice)
			st, body := h.do(t, "DELETE", "/instamern/stories/"+s1, bob.Token, nil)
			wantFail(t, st, body, 403, "You cannot delete someone else's story.")
			for _, tc := range []struct {
				id string
				by user
			}{{s1, alice}, {s2, mod}} {
				st, body := h.do(t, "DELETE", "/instamern/stories/"+tc.id, tc.by.Token, nil)
				wantSuccess(t, st, body, 200)
			}
			if got := groups(t, ""); len(got) != 0 {
				t.Errorf("stories left: %v", got)
			}
			for _, id := range []string{s1, "bad", "0123456789abcdef01234567"} {
				st, body := h.do(t, "DELETE", "/instamern/stories/"+id, alice.Token, nil)
				wantFail(t, st, body, 404, "Not found story to delete.")
			}
		})

		t.Run("HiddenWhenDeactivated", func(t *testing.T) { // B28
			story(t, bob)
			h.deactivate(t, bob)
			if got := groups(t, ""); len(got) != 0 {
				t.Errorf("deactivated user's stories shown: %v", got)
			}
		})

		t.Run("NoFile", func(t *testing.T) {
			st, body := h.upload(t, "/instamern/stories/upload", alice.Token, "", "", nil, nil)
			wantFail(t, st, body, 400, "Couldn't find any story to share.")
		})
	})
}
