package api_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/gram"
)

// gatedImages is an image pipeline that holds every upload until open is
// closed, reporting the file each one was given on entered.
type gatedImages struct {
	entered chan string
	open    chan struct{}
}

func newGatedImages() *gatedImages {
	return &gatedImages{entered: make(chan string, 8), open: make(chan struct{})}
}

func (g *gatedImages) Process(ctx context.Context, r io.Reader, _ gram.ImageKind) (*gram.Image, error) {
	name := "(not a file)"
	if f, isFile := r.(*os.File); isFile {
		name = f.Name()
	}
	g.entered <- name
	select {
	case <-g.open:
		return &gram.Image{Data: []byte("jpeg"), ContentType: "image/jpeg", Ext: "jpg", Width: 1, Height: 1}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// withUploads sets the upload limits, with short waits, spooling to dir.
func withUploads(dir string, total, perAccount int) option {
	return withAPI(func(c *api.Config) {
		c.Uploads = api.UploadLimits{MaxConcurrent: total, PerAccount: perAccount, TempDir: dir,
			QueueWait: 50 * time.Millisecond, AccountWait: 50 * time.Millisecond}
	})
}

// The limits work the same on every store, so these tests use SQLite.
var sqliteOnly = backend{"sqlite", openSQLite}

// TestUploadLimits fills the per-account and the total limit with uploads
// held in the pipeline: one more from the same account is told to wait
// for its own (429), one from another account that the server is busy
// (503), both with a Retry-After; the held ones then succeed.
func TestUploadLimits(t *testing.T) {
	t.Parallel()
	dir, g := t.TempDir(), newGatedImages()
	h := newHarness(t, sqliteOnly, withImages(g), withUploads(dir, 2, 1))
	ann, bob, cat := h.signup(t, "ann"), h.signup(t, "bob"), h.signup(t, "cat")
	jpg := jpegImage(t, 64, 80)
	held := make(chan int, 2)
	for _, u := range []user{ann, bob} {
		req := h.uploadRequest(t, t.Context(), "/instamern/posts/upload", u.Token, "post", "p.jpg", jpg, nil)
		go func() { held <- statusOf(h.srv.Client().Do(req)) }()
		if name := <-g.entered; filepath.Dir(name) != dir {
			t.Fatalf("the pipeline got %s, want a file in %s", name, dir)
		}
	}
	if n := countFiles(t, dir); n != 2 {
		t.Errorf("%d files spooled for 2 uploads in flight", n)
	}
	for _, tt := range []struct {
		who        user
		status     int
		msg, retry string
	}{
		{ann, http.StatusTooManyRequests, "You already have 1 uploads in progress. Please wait for one to finish, then try again.", "2"},
		{cat, http.StatusServiceUnavailable, "The server is busy processing photos. Please try again shortly.", "5"},
	} {
		res, raw := h.send(t, h.uploadRequest(t, t.Context(), "/instamern/posts/upload", tt.who.Token, "post", "p.jpg", jpg, nil))
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), tt.status, tt.msg)
		if got := res.Header.Get("Retry-After"); got != tt.retry {
			t.Errorf("%s: Retry-After %q, want %q", tt.who.Username, got, tt.retry)
		}
	}
	close(g.open)
	for range 2 {
		if st := <-held; st != http.StatusCreated {
			t.Errorf("held upload: %d, want %d", st, http.StatusCreated)
		}
	}
	waitNoFiles(t, dir)
	st, body := h.upload(t, "/instamern/posts/upload", cat.Token, "post", "p.jpg", jpg, nil)
	wantSuccess(t, st, body, http.StatusCreated) // the slots were all given back
}

// TestUploadTempFiles checks that the spooled photo is removed however the
// upload ends: processed, refused by the pipeline, over the size limit,
// or abandoned by the client while it is read or processed.
func TestUploadTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := newHarness(t, sqliteOnly, withUploads(dir, 4, 4), withMaxUpload(64<<10))
	ann := h.signup(t, "ann")
	jpg := jpegImage(t, 64, 80)
	for _, tt := range []struct {
		name   string
		data   []byte
		status int
	}{
		{"processed", jpg, http.StatusCreated},
		{"broken image", jpg[:len(jpg)/2], http.StatusBadRequest},
		{"over the size limit", bytes.Repeat(jpg, 1+(64<<10)/len(jpg)), http.StatusRequestEntityTooLarge},
	} {
		st, body := h.upload(t, "/instamern/posts/upload", ann.Token, "post", "p.jpg", tt.data, nil)
		if st != tt.status {
			t.Errorf("%s: %d %v, want %d", tt.name, st, body, tt.status)
		}
		waitNoFiles(t, dir)
	}

	t.Run("client gone while reading", func(t *testing.T) {
		req := h.uploadRequest(t, t.Context(), "/instamern/posts/upload", ann.Token, "post", "p.jpg", jpg, nil)
		whole, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(whole[:len(whole)/2]), errReader{}))
		if _, err := h.srv.Client().Do(req); err == nil {
			t.Fatal("a body that fails was sent")
		}
		waitNoFiles(t, dir)
	})
}

// TestUploadTempFileClientGone cancels an upload held in the pipeline:
// its file is removed and its slots are given back.
func TestUploadTempFileClientGone(t *testing.T) {
	t.Parallel()
	dir, g := t.TempDir(), newGatedImages()
	h := newHarness(t, sqliteOnly, withImages(g), withUploads(dir, 1, 1))
	ann := h.signup(t, "ann")
	ctx, cancel := context.WithCancel(t.Context())
	req := h.uploadRequest(t, ctx, "/instamern/posts/upload", ann.Token, "post", "p.jpg", jpegImage(t, 64, 80), nil)
	done := make(chan error, 1)
	go func() {
		_, err := h.srv.Client().Do(req)
		done <- err
	}()
	<-g.entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled upload: %v", err)
	}
	waitNoFiles(t, dir)
	close(g.open)
	req = h.uploadRequest(t, t.Context(), "/instamern/posts/upload", ann.Token, "post", "p.jpg", jpegImage(t, 64, 80), nil)
	go func() { <-g.entered }()
	if st := statusOf(h.srv.Client().Do(req)); st != http.StatusCreated {
		t.Errorf("next upload: %d, want %d (slots given back)", st, http.StatusCreated)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("client gone") }

// statusOf is the status of a response (its body discarded), 0 on error.
func statusOf(res *http.Response, err error) int {
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// waitNoFiles waits for dir to be empty: a handler removes its file after
// its response is written, so just after the client has it.
func waitNoFiles(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for countFiles(t, dir) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d files left in %s", countFiles(t, dir), dir)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
