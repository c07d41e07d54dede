package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/testenv"
)

// exportLink asks for u's export status and returns the export and the
// path of its download link ("" while it has none).
func (h *harness) exportLink(t *testing.T, u user) (map[string]any, string) {
	t.Helper()
	st, body := h.do(t, "GET", "/instamern/users/export", u.Token, nil)
	wantSuccess(t, st, body, 200)
	x := obj(t, body, "data", "export")
	link, _ := x["downloadUrl"].(string)
	if link == "" {
		return x, ""
	}
	parsed, err := url.Parse(link)
	if err != nil {
		t.Fatalf("download URL %q: %v", link, err)
	}
	return x, parsed.Path
}

// download fetches path and returns the status and the body.
func (h *harness) download(t *testing.T, path, token string) (*http.Response, []byte) {
	t.Helper()
	return h.request(t, "GET", path, token, nil, nil)
}

// exportZip is an archive opened for the test.
type exportZip map[string][]byte

func openZip(t *testing.T, data []byte) exportZip {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the download is not a zip: %v", err)
	}
	out := exportZip{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// json decodes the file name of the archive into v.
func (z exportZip) json(t *testing.T, name string, v any) {
	t.Helper()
	b, ok := z[name]
	if !ok {
		t.Fatalf("the archive has no %s: %v", name, z.names())
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func (z exportZip) names() []string {
	var out []string
	for n := range z {
		out = append(out, n)
	}
	return out
}

// exportJourney asks for alice's export, builds it and downloads it: the
// archive has every part of her account with her media.
func exportJourney(t *testing.T, h *harness) (alice user, z exportZip) {
	t.Helper()
	alice, bob := h.signup(t, "alice"), h.signup(t, "bob")
	st, body := h.do(t, "GET", "/instamern/users/export", alice.Token, nil)
	wantFail(t, st, body, 404, "You have not asked for an export yet.")

	postID := h.post(t, alice, "my first post")
	bobPost := h.post(t, bob, "bob's post")
	for _, step := range []struct {
		method, path, token string
		body                any
	}{
		{"POST", "/instamern/posts/comments/" + bobPost, alice.Token, map[string]any{"comment": "lovely"}},
		{"POST", "/instamern/posts/like/" + bobPost, alice.Token, nil},
		{"POST", "/instamern/posts/like/" + postID, bob.Token, nil},
		{"POST", "/instamern/users/follow/bob", alice.Token, nil},
		{"POST", "/instamern/users/follow/alice", bob.Token, nil},
	} {
		st, body := h.do(t, step.method, step.path, step.token, step.body)
		if st >= 300 {
			t.Fatalf("%s %s: %d %v", step.method, step.path, st, body)
		}
	}
	st, body = h.upload(t, "/instamern/stories/upload", alice.Token, "story", "s.jpg", jpegImage(t, 90, 160), nil)
	wantSuccess(t, st, body, 201)

	st, body = h.do(t, "POST", "/instamern/users/export", alice.Token, nil)
	wantSuccess(t, st, body, 202)
	if x := obj(t, body, "data", "export"); x["state"] != gram.ExportPending {
		t.Errorf("asked export: %v", x)
	}
	if x, link := h.exportLink(t, alice); x["state"] != gram.ExportPending || link != "" {
		t.Errorf("pending export: %v", x)
	}
	if n, err := h.svc.BuildExports(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("BuildExports = %d, %v; want 1", n, err)
	}
	x, link := h.exportLink(t, alice)
	if x["state"] != gram.ExportReady || link == "" || x["size"].(float64) <= 0 {
		t.Fatalf("ready export: %v", x)
	}
	res, data := h.download(t, link, "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	z = openZip(t, data)

	var manifest struct {
		Format  string         `json:"format"`
		Version int            `json:"version"`
		UserID  string         `json:"userId"`
		Counts  map[string]int `json:"counts"`
	}
	z.json(t, "manifest.json", &manifest)
	if manifest.Format != gram.ExportFormat || manifest.Version != 1 || manifest.UserID != alice.ID {
		t.Errorf("manifest: %+v", manifest)
	}
	var profile map[string]any
	z.json(t, "profile.json", &profile)
	if profile["email"] != alice.Email || profile["username"] != "alice" {
		t.Errorf("profile: %v", profile)
	}
	mustLack(t, profile, "password", "passwordHash")
	var posts []map[string]any
	z.json(t, "posts.json", &posts)
	if len(posts) != 1 || posts[0]["id"] != postID || posts[0]["caption"] != "my first post" || posts[0]["likes"] != 1.0 {
		t.Fatalf("posts: %v", posts)
	}
	if img := z[posts[0]["photo"].(string)]; len(img) < 100 || !bytes.HasPrefix(img, []byte{0xff, 0xd8}) {
		t.Errorf("the post's photo %q is not a JPEG in the archive (%d bytes)", posts[0]["photo"], len(img))
	}
	var comments, likes, followers, following, stories, notes []map[string]any
	z.json(t, "comments.json", &comments)
	z.json(t, "likes.json", &likes)
	z.json(t, "followers.json", &followers)
	z.json(t, "following.json", &following)
	z.json(t, "stories.json", &stories)
	z.json(t, "notifications.json", &notes)
	switch {
	case len(comments) != 1 || comments[0]["text"] != "lovely" || comments[0]["postId"] != bobPost:
		t.Errorf("comments: %v", comments)
	case len(likes) != 1 || likes[0]["postId"] != bobPost:
		t.Errorf("likes: %v", likes)
	case len(followers) != 1 || followers[0]["username"] != "bob", len(following) != 1 || following[0]["id"] != bob.ID:
		t.Errorf("follows: %v %v", followers, following)
	case len(stories) != 1 || len(z[stories[0]["photo"].(string)]) < 100:
		t.Errorf("stories: %v", stories)
	case len(notes) != 2: // bob's like and follow
		t.Errorf("notifications: %v", notes)
	}
	return alice, z
}

// The export journey on every backend: asked for, built, downloaded,
// limited, expired and removed.
func TestExport(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice, _ := exportJourney(t, h)

		st, body := h.do(t, "POST", "/instamern/users/export", alice.Token, nil)
		wantFail(t, st, body, 429, "") // one a day
		// A download link is no login, and a login no download link.
		_, link := h.exportLink(t, alice)
		tok := link[strings.LastIndex(link, "/")+1:]
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
		wantFail(t, st, body, 401, "")
		res, raw := h.download(t, "/instamern/users/export/download/"+alice.Token, "")
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 404, "This download link is not valid or has expired. Ask for a new one.")
		res, raw = h.download(t, link[:len(link)-2]+"xx", "")
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 404, "")

		// Past its expiry the archive is refused, then removed.
		h.clock.Advance(8 * 24 * time.Hour)
		if x, link := h.exportLink(t, alice); x["state"] != gram.ExportExpired || link != "" {
			t.Errorf("export past its expiry: %v", x)
		}
		res, raw = h.download(t, link, "")
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 404, "This export is not available: it has expired or was never made. Ask for a new one.")
		if n, err := h.svc.ExpireExports(t.Context(), 10); err != nil || n != 1 {
			t.Fatalf("ExpireExports = %d, %v; want 1", n, err)
		}
		if objs, _ := h.blobs.List(t.Context(), gram.UserPrefix(alice.ID)+"exports/"); len(objs) != 0 {
			t.Errorf("archives left after expiry: %v", objs)
		}
	})
}

// An archive of a deleted account goes with it, and account deletion is
// documented as final after pointing to the export.
func TestExportDeletedWithAccount(t *testing.T) {
	h := newHarness(t, backends()[0])
	alice, _ := exportJourney(t, h)
	st, body := h.do(t, "DELETE", "/instamern/users/delete", alice.Token, map[string]string{"currentPassword": testPassword})
	wantSuccess(t, st, body, 200)
	if objs, _ := h.blobs.List(t.Context(), gram.UserPrefix(alice.ID)); len(objs) != 0 {
		t.Errorf("objects left after the account's deletion: %v", objs)
	}
}

// Two replicas on one Redis share the export budget: an export asked
// through one is refused through the other.
func TestExportLimitShared(t *testing.T) {
	url := testenv.Need(t, "GRAM_TEST_REDIS")
	one, two := replicaPair(t, backends()[0], url, nil)
	alice := one.signup(t, "alice")
	st, body := one.do(t, "POST", "/instamern/users/export", alice.Token, nil)
	wantSuccess(t, st, body, 202)
	if _, err := one.svc.BuildExports(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	st, body = two.do(t, "POST", "/instamern/users/export", alice.Token, nil)
	wantFail(t, st, body, 429, "")
	if !strings.HasPrefix(body["message"].(string), "You can ask for an export once a day.") {
		t.Errorf("429 message: %v", body["message"])
	}
}

// A request refused because an export is being prepared costs nothing of
// the budget.
func TestExportPendingNotCounted(t *testing.T) {
	h := newHarness(t, backends()[0])
	h.start(t, map[string]string{"RATE_LIMIT_EXPORT": "2/24h"}, nil, setup{})
	alice := h.signup(t, "alice")
	st, body := h.do(t, "POST", "/instamern/users/export", alice.Token, nil)
	wantSuccess(t, st, body, 202)
	for range 3 {
		st, body = h.do(t, "POST", "/instamern/users/export", alice.Token, nil)
		wantFail(t, st, body, 409, "Your export is being prepared already.")
	}
	if _, err := h.svc.BuildExports(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	st, body = h.do(t, "POST", "/instamern/users/export", alice.Token, nil)
	wantSuccess(t, st, body, 202)
}

// TestS3Export runs the export journey on a real S3-compatible server
// (versitygw): the archive is stored in the bucket, streamed through the
// API, and removed with the account.
func TestS3Export(t *testing.T) {
	testenv.Need(t, "GRAM_TEST_S3")
	h, blobs := newS3HarnessWith(t, s3Config(t, blob.DeliveryPresign))
	alice, z := exportJourney(t, h)
	if len(z) < 10 {
		t.Errorf("archive files: %v", z.names())
	}
	objs, err := blobs.List(t.Context(), gram.UserPrefix(alice.ID)+"exports/")
	if err != nil || len(objs) != 1 || !strings.HasSuffix(objs[0].Key, ".zip") {
		t.Fatalf("archives in the bucket: %v, %v", objs, err)
	}
	st, body := h.do(t, "DELETE", "/instamern/users/delete", alice.Token, map[string]string{"currentPassword": testPassword})
	wantSuccess(t, st, body, 200)
	if objs, _ := blobs.List(t.Context(), gram.UserPrefix(alice.ID)); len(objs) != 0 {
		t.Errorf("objects left in the bucket after the account's deletion: %v", objs)
	}
}
