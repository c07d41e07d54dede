package api_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/clocktest"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/pgtest"
	"github.com/instamern/gram/internal/testenv"
)

// outageTimeout is the REQUEST_TIMEOUT of the outage tests, and
// outageSlack what a loaded test machine may add to it.
const (
	outageTimeout = time.Second
	outageSlack   = 2 * time.Second
)

// outageHarness builds the application as gramd does from env, which
// names its database, with REQUEST_TIMEOUT outageTimeout: the store is
// the application's own, with the timeouts the configuration gives it.
func outageHarness(t *testing.T, env map[string]string) *harness {
	t.Helper()
	env["DATA_DIR"] = t.TempDir()
	env["REQUEST_TIMEOUT"] = outageTimeout.String()
	h := &harness{blobs: blob.NewMem(""), hasher: cheapHasher(), clock: clocktest.New(time.Now().UTC().Truncate(time.Millisecond))}
	h.start(t, env, nil, setup{})
	h.blobs.PublicBase = h.srv.URL
	return h
}

// timed sends a JSON request and returns its status, envelope, headers
// and how long the answer took.
func (h *harness) timed(t *testing.T, method, path, token string, body any) (int, map[string]any, http.Header, time.Duration) {
	t.Helper()
	start := time.Now()
	res, raw := h.request(t, method, path, token, body, nil)
	return res.StatusCode, envelopeOf(t, res, raw), res.Header, time.Since(start)
}

// wantOutage checks the answer to a request during an outage: a 503 fail
// envelope (which the client shows) with Retry-After, within the request
// deadline.
func wantOutage(t *testing.T, what string, st int, body map[string]any, hd http.Header, took time.Duration, msg string) {
	t.Helper()
	if st != http.StatusServiceUnavailable || body["status"] != "fail" || (msg != "" && body["message"] != msg) {
		t.Errorf("%s: %d %v, want 503 fail %q", what, st, body, msg)
	}
	if hd.Get("Retry-After") == "" {
		t.Errorf("%s: no Retry-After", what)
	}
	t.Logf("%s: %d in %v", what, st, took)
	if took > outageTimeout+outageSlack {
		t.Errorf("%s: answered after %v, want within the %v deadline", what, took, outageTimeout)
	}
}

// waitRecovered polls the feed until it answers 200, as a client
// retrying after Retry-After would: the server recovers by itself.
func (h *harness) waitRecovered(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, body := h.do(t, "GET", "/instamern/posts", "", nil)
		if st == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("feed after the outage: %d %v", st, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// postgresOutage serves from PostgreSQL through a proxy, breaks it with
// fail and checks that a read, a write by a logged-in user and the
// readiness check answer 503 fail (with msg, unless "") within the
// deadline; then mends it and checks that the server recovers without a
// restart.
func postgresOutage(t *testing.T, fail, mend func(*testenv.Proxy), msg string) {
	t.Helper()
	u, err := url.Parse(pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := testenv.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	h := outageHarness(t, map[string]string{"DATABASE_URL": u.String()})
	alice := h.signup(t, "alice")
	postID := h.post(t, alice, "before the outage")

	fail(proxy)
	st, body, hd, took := h.timed(t, "GET", "/instamern/posts", "", nil)
	wantOutage(t, "feed", st, body, hd, took, msg)
	st, body, hd, took = h.timed(t, "POST", "/instamern/posts/comments/"+postID, alice.Token, map[string]any{"comment": "lost?"})
	wantOutage(t, "comment", st, body, hd, took, msg)
	st, body, hd, took = h.timed(t, "GET", "/readyz", "", nil)
	wantOutage(t, "readyz", st, body, hd, took, "Not ready: database failed its check.")
	if db, _ := list(t, body, "data", "checks")[0].(map[string]any); db["name"] != "database" || db["ok"] != false || db["error"] == "" {
		t.Errorf("readyz during the outage: database entry %v, want it failed with a reason", db)
	}

	mend(proxy)
	h.waitRecovered(t)
	st, body = h.do(t, "POST", "/instamern/posts/comments/"+postID, alice.Token, map[string]any{"comment": "after"})
	wantSuccess(t, st, body, http.StatusCreated)
}

// TestPostgresStalled: behind a frozen proxy (a hung server, or a
// network that drops everything) requests answer 503 fail within their
// deadline instead of hanging.
func TestPostgresStalled(t *testing.T) {
	t.Parallel()
	postgresOutage(t, (*testenv.Proxy).Freeze, (*testenv.Proxy).Thaw, "")
}

// TestPostgresDown: behind a proxy that closes every connection (a
// server that is gone) requests answer at once 503 fail saying the
// database is unavailable, not 500 "error", which the client would take
// for success.
func TestPostgresDown(t *testing.T) {
	t.Parallel()
	postgresOutage(t, (*testenv.Proxy).Down, (*testenv.Proxy).Up, gram.ErrStoreUnavailable.Message)
}

// TestSQLiteLocked serves from a SQLite file that another process holds
// locked for writing: a write waits out the busy timeout
// (DB_STATEMENT_TIMEOUT) and answers 503 fail, and reads go on.
func TestSQLiteLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gram.db")
	h := outageHarness(t, map[string]string{"DATABASE_URL": "sqlite:" + path, "DB_STATEMENT_TIMEOUT": "300ms"})
	alice := h.signup(t, "alice")
	postID := h.post(t, alice, "before the lock")

	release := testenv.LockSQLite(t, path)
	st, body, hd, took := h.timed(t, "POST", "/instamern/posts/comments/"+postID, alice.Token, map[string]any{"comment": "lost?"})
	wantOutage(t, "comment", st, body, hd, took, gram.ErrStoreUnavailable.Message)
	st, body = h.do(t, "GET", "/instamern/posts", "", nil)
	wantSuccess(t, st, body, http.StatusOK)

	release()
	st, body = h.do(t, "POST", "/instamern/posts/comments/"+postID, alice.Token, map[string]any{"comment": "after"})
	wantSuccess(t, st, body, http.StatusCreated)
}

// TestDeadlines specifies which deadline a request gets: a route that
// moves a file (a media download here) has UploadTimeout, not the
// shorter RequestTimeout.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	left := make(chan time.Duration, 1)
	media := func(w http.ResponseWriter, r *http.Request) error {
		dl, _ := r.Context().Deadline()
		left <- time.Until(dl)
		return gram.ErrNotFound
	}
	h := newHarness(t, backend{"sqlite", openSQLite}, withMedia(media),
		withAPI(func(c *api.Config) { c.RequestTimeout, c.UploadTimeout = time.Second, time.Hour }))
	if st, _ := h.do(t, "GET", "/media/k.jpg", "", nil); st != http.StatusNotFound {
		t.Fatalf("media: %d", st)
	}
	if d := <-left; d < 59*time.Minute || d > time.Hour {
		t.Errorf("media download deadline in %v, want UploadTimeout (1h)", d)
	}
}
