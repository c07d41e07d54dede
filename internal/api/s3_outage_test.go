package api_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/testenv"
)

// s3Outage is the API on a real S3 server (versitygw) reached through a
// proxy the test can take down or freeze, with a deleter working the
// queue on a clock the test sets, and a direct client to look at the
// bucket behind the proxy's back.
type s3Outage struct {
	*harness
	proxy   *testenv.Proxy
	direct  *blob.S3
	deleter *blob.Deleter
	now     time.Time // the deleter's clock
}

func newS3Outage(t *testing.T) *s3Outage {
	t.Helper()
	testenv.Need(t, "GRAM_TEST_S3")
	c := s3Config(t, blob.DeliveryPresign)
	direct, err := blob.NewS3(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(os.Getenv("S3_ENDPOINT"))
	if err != nil {
		t.Fatal(err)
	}
	o := &s3Outage{proxy: testenv.NewProxy(t, u.Host), direct: direct, now: time.Now()}
	c.Endpoint = "http://" + o.proxy.Addr()
	// Fail fast: one try per call, short timeouts.
	c.MaxAttempts, c.CallTimeout, c.PutTimeout = 1, time.Second, 2*time.Second
	h, viaProxy := newS3HarnessWith(t, c)
	o.harness = h
	o.deleter = &blob.Deleter{Queue: h.store, Blobs: viaProxy, Timeout: 2 * time.Second, Log: slog.New(slog.DiscardHandler),
		Backoff: func(int) time.Duration { return time.Hour }, Now: func() time.Time { return o.now }}
	return o
}

// flush makes one deleter pass at the test's clock and requires it to
// claim want keys.
func (o *s3Outage) flush(t *testing.T, want int, why string) {
	t.Helper()
	n, err := o.deleter.Flush(t.Context())
	if err != nil || n != want {
		t.Fatalf("deleter pass (%s) claimed %d, %v; want %d, nil", why, n, err, want)
	}
}

// keys lists the objects under prefix, straight from the bucket.
func (o *s3Outage) keys(t *testing.T, prefix string) []string {
	t.Helper()
	infos, err := o.direct.List(t.Context(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, i := range infos {
		out = append(out, i.Key)
	}
	return out
}

// TestS3Outage_DeletionWaitsInQueue deletes a post, then the account,
// while S3 is unreachable: both answer 200 and the objects stay; the
// deleter retries on its schedule and removes them once S3 is back.
func TestS3Outage_DeletionWaitsInQueue(t *testing.T) {
	o := newS3Outage(t)
	alice := o.signup(t, "alice")
	st, body := o.upload(t, "/instamern/posts/upload", alice.Token, "post", "p.jpg", jpegImage(t, 1200, 1500), map[string]string{"caption": "hi"})
	wantSuccess(t, st, body, http.StatusCreated)
	postID := obj(t, body, "data", "post")["_id"].(string)
	st, body = o.upload(t, "/instamern/users/upload", alice.Token, "photo", "a.png", pngImage(t, 400, 400), nil)
	wantSuccess(t, st, body, http.StatusOK)
	prefix := "users/" + alice.ID + "/"
	all := o.keys(t, prefix)
	i := slices.IndexFunc(all, func(k string) bool { return strings.Contains(k, "/posts/") })
	if len(all) != 2 || i < 0 {
		t.Fatalf("objects after the uploads: %q; want a post and an avatar", all)
	}
	postKey, avatarKey := all[i], all[1-i]

	o.proxy.Down()
	st, body = o.do(t, "DELETE", "/instamern/posts/delete/"+postID, alice.Token, nil)
	wantSuccess(t, st, body, http.StatusOK)
	if st, _ := o.do(t, "GET", "/instamern/posts/"+postID, alice.Token, nil); st != http.StatusNotFound {
		t.Fatalf("GET the deleted post = %d; want 404", st)
	}
	if got := o.keys(t, prefix); len(got) != 2 {
		t.Fatalf("objects after deleting the post with S3 down: %q; want both still there", got)
	}
	o.flush(t, 1, "S3 down: the post's key fails and is rescheduled")
	o.proxy.Up()
	o.flush(t, 0, "S3 back, the retry not due yet")
	if got := o.keys(t, prefix); !slices.Contains(got, postKey) {
		t.Fatalf("objects before the retry: %q; want the post's still there", got)
	}
	o.now = o.now.Add(2 * time.Hour)
	o.flush(t, 1, "the retry")
	if got := o.keys(t, prefix); !slices.Equal(got, []string{avatarKey}) {
		t.Fatalf("objects after the retry: %q; want only the avatar", got)
	}
	o.flush(t, 0, "a removed key leaves the queue")

	o.proxy.Down()
	st, body = o.do(t, "DELETE", "/instamern/users/delete", alice.Token, map[string]string{"currentPassword": testPassword})
	wantSuccess(t, st, body, http.StatusOK)
	if got := o.keys(t, prefix); len(got) != 1 {
		t.Fatalf("objects after deleting the account with S3 down: %q; want the avatar still there", got)
	}
	o.proxy.Up()
	o.flush(t, 1, "the account's prefix, due since the deletion")
	if got := o.keys(t, prefix); len(got) != 0 {
		t.Fatalf("objects after the account's prefix was removed: %q; want none", got)
	}
	o.now = o.now.Add(10 * time.Hour)
	o.flush(t, 0, "the queue is empty")
}

// TestS3Outage_LateWriteDeleted: an upload whose write hangs gives up
// (503), and S3 completes the write later; the object, which no row
// references, is queued and deleted after the grace for late writes.
func TestS3Outage_LateWriteDeleted(t *testing.T) {
	o := newS3Outage(t)
	alice := o.signup(t, "alice")
	prefix := "users/" + alice.ID + "/"
	o.proxy.Freeze()
	st, body := o.upload(t, "/instamern/posts/upload", alice.Token, "post", "p.jpg", jpegImage(t, 1200, 1500), map[string]string{"caption": "hi"})
	if st != http.StatusServiceUnavailable {
		t.Fatalf("upload with a hung S3 = %d %v; want 503", st, body)
	}
	o.proxy.Thaw() // the held request reaches S3 now
	var late []string
	for deadline := time.Now().Add(10 * time.Second); len(late) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		late = o.keys(t, prefix)
	}
	if len(late) != 1 {
		t.Fatalf("objects after the held write went through: %q; want the late one", late)
	}
	o.flush(t, 0, "the late write's grace is not over")
	o.now = o.now.Add(16 * time.Minute)
	o.flush(t, 1, "after the grace")
	if got := o.keys(t, prefix); len(got) != 0 {
		t.Fatalf("objects after the deleter's pass: %q; want none", got)
	}
}
