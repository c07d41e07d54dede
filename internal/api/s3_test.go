package api_test

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/testenv"
)

// TestS3Journey runs the media journey of the API (post, story and avatar
// uploads; every returned URL loads; deletions make the URLs fail) on a
// real S3-compatible server (versitygw from scripts/services.sh), with
// presigned and proxied delivery.
func TestS3Journey(t *testing.T) {
	testenv.Need(t, "GRAM_TEST_S3")
	for _, delivery := range []string{blob.DeliveryPresign, blob.DeliveryProxy} {
		t.Run(delivery, func(t *testing.T) {
			t.Parallel()
			h := newS3Harness(t, delivery)
			alice := h.signup(t, "alice")

			st, body := h.upload(t, "/instamern/posts/upload", alice.Token, "post", "p.jpg", jpegImage(t, 1200, 1500), map[string]string{"caption": "hi"})
			wantSuccess(t, st, body, http.StatusCreated)
			post := obj(t, body, "data", "post")
			postURL := post["photo"].(string)
			mustLoad(t, postURL, http.StatusOK)

			st, body = h.upload(t, "/instamern/stories/upload", alice.Token, "story", "s.jpg", jpegImage(t, 600, 800), nil)
			wantSuccess(t, st, body, http.StatusCreated)
			storyURL := obj(t, body, "data", "story")["photo"].(string)
			mustLoad(t, storyURL, http.StatusOK)

			st, body = h.upload(t, "/instamern/users/upload", alice.Token, "photo", "a.png", pngImage(t, 400, 400), nil)
			wantSuccess(t, st, body, http.StatusOK)
			avatarURL := obj(t, body, "data")["url"].(string)
			mustLoad(t, avatarURL, http.StatusOK)

			st, body = h.do(t, "DELETE", "/instamern/posts/delete/"+post["_id"].(string), alice.Token, nil)
			wantSuccess(t, st, body, http.StatusOK)
			mustNotLoad(t, postURL)

			st, body = h.do(t, "DELETE", "/instamern/users/delete", alice.Token, map[string]string{"currentPassword": testPassword})
			wantSuccess(t, st, body, http.StatusOK)
			mustNotLoad(t, storyURL)
			mustNotLoad(t, avatarURL)
		})
	}
}

// newS3Harness is newHarness with an S3 blob store under a fresh prefix.
func newS3Harness(t *testing.T, delivery string) *harness {
	t.Helper()
	h, _ := newS3HarnessWith(t, s3Config(t, delivery))
	return h
}

// s3Config configures a store under a fresh prefix of the test bucket.
func s3Config(t *testing.T, delivery string) blob.S3Config {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return blob.S3Config{
		Bucket: os.Getenv("GRAM_TEST_S3_BUCKET"), Prefix: "api-" + hex.EncodeToString(b) + "/",
		Region: os.Getenv("S3_REGION"), Endpoint: os.Getenv("S3_ENDPOINT"), ForcePathStyle: true,
		Delivery: delivery, PresignTTL: time.Hour,
	}
}

// newS3HarnessWith is newHarness with the S3 store c (its AppURL set to
// the server's), which it returns too.
func newS3HarnessWith(t *testing.T, c blob.S3Config) (*harness, *blob.S3) {
	t.Helper()
	store := openSQLite(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c.AppURL = srv.URL
	blobs, err := blob.NewS3(t.Context(), c)
	if err != nil {
		t.Fatalf("S3 store: %v", err)
	}
	hasher := cheapHasher()
	a := newApp(t, map[string]string{"RATE_LIMIT_AUTH": "off", "RATE_LIMIT_WRITE": "off"},
		app.Overrides{Store: store, Blobs: blobs, Hasher: hasher})
	mux.Handle("/", a.Handler)
	return &harness{srv: srv, svc: a.Service, store: store, hasher: hasher}, blobs
}

// mustLoad fetches url like a browser's <img> and checks it is a JPEG.
func mustLoad(t *testing.T, url string, want int) {
	t.Helper()
	if !strings.HasPrefix(url, "http://") {
		t.Fatalf("media URL %q is not absolute", url)
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want || res.Header.Get("Content-Type") != "image/jpeg" || len(data) < 100 {
		t.Fatalf("GET %s = %d %q (%d bytes), want %d image/jpeg", url, res.StatusCode, res.Header.Get("Content-Type"), len(data), want)
	}
}

// mustNotLoad checks that url no longer serves the object.
func mustNotLoad(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("GET %s after deletion = %d, want 404 (or 403 from S3)", url, res.StatusCode)
	}
}
