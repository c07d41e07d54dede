// Package blobtest is the conformance suite every gram.BlobStore passes.
//
// A backend's test calls Run with a constructor that returns a fresh, empty
// store per subtest (for S3: a unique key prefix). URLs the store hands out
// must load over HTTP while the test runs; for Disk and Mem the constructor
// serves them with blob.Handler on an httptest.Server.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
)

// ManyObjects is how many objects DeletePrefix must remove in one call:
// more than one S3 listing page and DeleteObjects batch (1000).
const ManyObjects = 1100

// Run runs every conformance subtest against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) gram.BlobStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, gram.BlobStore)
	}{
		{"PutGetHead", testPutGetHead},
		{"PutReplaces", testPutReplaces},
		{"PutSizeMismatch", testPutSizeMismatch},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"List", testList},
		{"DeletePrefixIsolation", testDeletePrefixIsolation},
		{"DeletePrefixNeedsSlash", testDeletePrefixNeedsSlash},
		{"DeletePrefixMany", testDeletePrefixMany},
		{"InvalidKeys", testInvalidKeys},
		{"URL", testURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

// put stores body under key as image/jpeg or fails the test.
func put(t *testing.T, s gram.BlobStore, key, body string) {
	t.Helper()
	if err := s.Put(t.Context(), key, strings.NewReader(body), int64(len(body)), "image/jpeg"); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

// read gets key and returns its body and info or fails the test.
func read(t *testing.T, s gram.BlobStore, key string) (string, gram.BlobInfo) {
	t.Helper()
	rc, info, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return string(b), info
}

// keys lists prefix and returns the keys or fails the test.
func keys(t *testing.T, s gram.BlobStore, prefix string) []string {
	t.Helper()
	infos, err := s.List(t.Context(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	out := []string{}
	for _, i := range infos {
		out = append(out, i.Key)
	}
	return out
}

func testPutGetHead(t *testing.T, s gram.BlobStore) {
	const key, body = "users/u1/posts/p1.png", "\x89PNG fake image bytes"
	before := time.Now().Add(-time.Minute)
	if err := s.Put(t.Context(), key, strings.NewReader(body), int64(len(body)), "image/png"); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, info := read(t, s, key)
	if got != body {
		t.Errorf("Get body = %q, want %q", got, body)
	}
	head, err := s.Head(t.Context(), key)
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	for name, i := range map[string]gram.BlobInfo{"Get": info, "Head": head} {
		if i.Key != key || i.Size != int64(len(body)) || i.ContentType != "image/png" {
			t.Errorf("%s info = %+v, want key %q, size %d, type image/png", name, i, key, len(body))
		}
		if i.LastModified.Before(before) {
			t.Errorf("%s LastModified = %v, want recent", name, i.LastModified)
		}
	}
}

func testPutReplaces(t *testing.T, s gram.BlobStore) {
	put(t, s, "a/k.jpg", "first")
	put(t, s, "a/k.jpg", "second, longer")
	if got, info := read(t, s, "a/k.jpg"); got != "second, longer" || info.Size != 14 {
		t.Errorf("after replace: body %q size %d, want the second body", got, info.Size)
	}
}

func testPutSizeMismatch(t *testing.T, s gram.BlobStore) {
	err := s.Put(t.Context(), "a/short.jpg", strings.NewReader("abc"), 10, "image/jpeg")
	if err == nil {
		t.Fatal("Put with a short body succeeded, want an error")
	}
	if _, err := s.Head(t.Context(), "a/short.jpg"); !errors.Is(err, gram.ErrNotFound) {
		t.Errorf("Head after failed Put: err = %v, want ErrNotFound (nothing half-written)", err)
	}
}

func testMissing(t *testing.T, s gram.BlobStore) {
	put(t, s, "a/present.jpg", "x")
	if rc, _, err := s.Get(t.Context(), "a/missing.jpg"); !errors.Is(err, gram.ErrNotFound) {
		if rc != nil {
			rc.Close()
		}
		t.Errorf("Get missing: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Head(t.Context(), "a/missing.jpg"); !errors.Is(err, gram.ErrNotFound) {
		t.Errorf("Head missing: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Head(t.Context(), "nothing/here/at/all.jpg"); !errors.Is(err, gram.ErrNotFound) {
		t.Errorf("Head under a missing folder: err = %v, want ErrNotFound", err)
	}
}

func testDelete(t *testing.T, s gram.BlobStore) {
	put(t, s, "a/gone.jpg", "x")
	put(t, s, "a/kept.jpg", "y")
	if err := s.Delete(t.Context(), "a/gone.jpg"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Head(t.Context(), "a/gone.jpg"); !errors.Is(err, gram.ErrNotFound) {
		t.Errorf("Head after Delete: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(t.Context(), "a/gone.jpg"); err != nil {
		t.Errorf("Delete missing: %v, want nil", err)
	}
	if got := keys(t, s, "a/"); !equal(got, []string{"a/kept.jpg"}) {
		t.Errorf("List after Delete = %q, want only a/kept.jpg", got)
	}
}

func testList(t *testing.T, s gram.BlobStore) {
	for _, k := range []string{"u/b/2.jpg", "u/a.txt", "u/b/1.jpg", "u/a/x.jpg", "v/1.jpg", "ua/1.jpg"} {
		put(t, s, k, "body of "+k)
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"u/", []string{"u/a.txt", "u/a/x.jpg", "u/b/1.jpg", "u/b/2.jpg"}},
		{"u/b/", []string{"u/b/1.jpg", "u/b/2.jpg"}},
		{"u/a", []string{"u/a.txt", "u/a/x.jpg"}},
		{"u", []string{"u/a.txt", "u/a/x.jpg", "u/b/1.jpg", "u/b/2.jpg", "ua/1.jpg"}},
		{"w/", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			if got := keys(t, s, tt.prefix); !equal(got, tt.want) {
				t.Errorf("List(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
		})
	}
	infos, err := s.List(t.Context(), "v/")
	if err != nil || len(infos) != 1 || infos[0].Size != int64(len("body of v/1.jpg")) {
		t.Errorf("List(v/) = %+v, %v; want one object with its size", infos, err)
	}
}

func testDeletePrefixIsolation(t *testing.T, s gram.BlobStore) {
	put(t, s, "users/ali/posts/1.jpg", "a1")
	put(t, s, "users/ali/avatar.png", "a2")
	put(t, s, "users/alice/posts/1.jpg", "b1")
	put(t, s, "users/ali.jpg", "c1")
	if err := s.DeletePrefix(t.Context(), "users/ali/"); err != nil {
		t.Fatalf("DeletePrefix: %v", err)
	}
	want := []string{"users/ali.jpg", "users/alice/posts/1.jpg"}
	if got := keys(t, s, "users/"); !equal(got, want) {
		t.Errorf("after DeletePrefix(users/ali/): List = %q, want %q", got, want)
	}
	if err := s.DeletePrefix(t.Context(), "users/nobody/"); err != nil {
		t.Errorf("DeletePrefix of an empty prefix: %v, want nil", err)
	}
}

func testDeletePrefixNeedsSlash(t *testing.T, s gram.BlobStore) {
	put(t, s, "users/alice/1.jpg", "x")
	for _, p := range []string{"users/ali", "", "/", "../"} {
		if err := s.DeletePrefix(t.Context(), p); err == nil {
			t.Errorf("DeletePrefix(%q) succeeded, want an error", p)
		}
	}
	if got := keys(t, s, ""); len(got) != 1 {
		t.Errorf("after refused DeletePrefix: List = %q, want the object kept", got)
	}
}

func testDeletePrefixMany(t *testing.T, s gram.BlobStore) {
	putMany(t, s, "bulk/", ManyObjects)
	put(t, s, "bulkier/keep.jpg", "k")
	if n := len(keys(t, s, "bulk/")); n != ManyObjects {
		t.Fatalf("List(bulk/) found %d objects, want %d", n, ManyObjects)
	}
	if err := s.DeletePrefix(t.Context(), "bulk/"); err != nil {
		t.Fatalf("DeletePrefix: %v", err)
	}
	if got := keys(t, s, "bulk"); !equal(got, []string{"bulkier/keep.jpg"}) {
		t.Errorf("after DeletePrefix: %d objects left under bulk (first %q), want only bulkier/keep.jpg", len(got), first(got))
	}
}

// putMany stores n small objects under prefix with a few parallel writers.
func putMany(t *testing.T, s gram.BlobStore, prefix string, n int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	keys := make(chan string)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	for range 16 {
		wg.Go(func() {
			for k := range keys {
				if err := s.Put(ctx, k, strings.NewReader(k), int64(len(k)), "text/plain"); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		})
	}
	for i := range n {
		keys <- fmt.Sprintf("%s%d/%05d.txt", prefix, i%7, i)
	}
	close(keys)
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("Put: %v", firstErr)
	}
}

func testInvalidKeys(t *testing.T, s gram.BlobStore) {
	bad := map[string]string{
		"empty": "", "absolute": "/a.jpg", "dotdot": "a/../b.jpg", "leading dotdot": "../a.jpg",
		"dot segment": "a/./b.jpg", "hidden": "a/.b.jpg", "trailing slash": "a/",
		"double slash": "a//b.jpg", "backslash": `a\b.jpg`, "NUL": "a\x00b.jpg",
		"newline": "a\nb.jpg", "DEL": "a\x7fb.jpg", "invalid UTF-8": "a\xffb.jpg",
		"too long": strings.Repeat("k", 1025),
	}
	for name, key := range bad {
		t.Run(name, func(t *testing.T) {
			err := s.Put(t.Context(), key, strings.NewReader("x"), 1, "image/jpeg")
			if gram.ErrorCode(err) != gram.EINVALID {
				t.Errorf("Put(%q): err = %v, want code %s", key, err, gram.EINVALID)
			}
			if _, err := s.Head(t.Context(), key); gram.ErrorCode(err) != gram.EINVALID {
				t.Errorf("Head(%q): err = %v, want code %s", key, err, gram.EINVALID)
			}
		})
	}
}

func testURL(t *testing.T, s gram.BlobStore) {
	const key, body = "users/u1/posts/p 1+é.jpg", "jpeg bytes"
	put(t, s, key, body)
	u, err := s.URL(t.Context(), key)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		t.Fatalf("URL = %q, want an absolute http(s) URL", u)
	}
	res := fetch(t, u)
	if res.status != http.StatusOK || res.body != body {
		t.Fatalf("GET %s = %d %q, want 200 %q", u, res.status, res.body, body)
	}
	if ct := res.header.Get("Content-Type"); ct != "image/jpeg" {
		t.Errorf("Content-Type = %q, want image/jpeg", ct)
	}
	if cc := res.header.Get("Cache-Control"); cc != blob.CacheControl {
		t.Errorf("Cache-Control = %q, want %q", cc, blob.CacheControl)
	}
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if res := fetch(t, u); res.status == http.StatusOK {
		t.Errorf("GET after Delete = 200, want the URL gone")
	}
}

type response struct {
	status int
	header http.Header
	body   string
}

func fetch(t *testing.T, u string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(res.Body); err != nil {
		t.Fatalf("GET %s: read: %v", u, err)
	}
	return response{res.StatusCode, res.Header, b.String()}
}

func equal(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n") && len(a) == len(b)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
