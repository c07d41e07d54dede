package blob_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/testenv"
)

func TestValidKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"users/0123456789abcdef01234567/posts/abc.jpg", true},
		{"a.jpg", true},
		{"posts/alice/2023-08-05T10:15:30.123Z.jpg", true}, // legacy S3 keys
		{"users/ünï/ok.png", true},
		{"", false},
		{"/abs.jpg", false},
		{"a/../b", false},
		{"..", false},
		{".", false},
		{"a/.hidden", false},
		{"a//b", false},
		{"a/", false},
		{`a\b`, false},
		{"a\x00b", false},
		{"a\tb", false},
		{"a\u0085b", false}, // C1 control
		{"a\xffb", false},
		{strings.Repeat("k", 1024), true},
		{strings.Repeat("k", 1025), false},
	}
	for _, tt := range tests {
		if got := blob.ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		c       blob.Config
		want    string // store type, "" for an error
		wantURL string
	}{
		{"Path", blob.Config{URL: filepath.Join(dir, "a"), AppURL: "http://app"}, "*blob.Disk", "http://app/media/k.jpg"},
		{"FileURL", blob.Config{URL: "file://" + filepath.Join(dir, "b"), AppURL: "http://app"}, "*blob.Disk", "http://app/media/k.jpg"},
		{"S3Public", blob.Config{URL: "s3://bkt/media", Region: "us-east-1", Endpoint: "http://s3.test", ForcePathStyle: true,
			AccessKeyID: "k", SecretAccessKey: "s"}, "*blob.S3", "http://s3.test/bkt/media/k.jpg"},
		{"S3Proxy", blob.Config{URL: "s3://bkt", Region: "us-east-1", Delivery: "proxy", AppURL: "http://app",
			AccessKeyID: "k", SecretAccessKey: "s"}, "*blob.S3", "http://app/media/k.jpg"},
		{"S3ProxyNeedsAppURL", blob.Config{URL: "s3://bkt", Delivery: "proxy", AccessKeyID: "k", SecretAccessKey: "s"}, "", ""},
		{"S3UnknownDelivery", blob.Config{URL: "s3://bkt", Delivery: "cdn", AccessKeyID: "k", SecretAccessKey: "s"}, "", ""},
		{"S3NoBucket", blob.Config{URL: "s3://"}, "", ""},
		{"S3OneSlash", blob.Config{URL: "s3:/bkt"}, "", ""},
		{"OtherScheme", blob.Config{URL: "gs://bkt"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := blob.Open(t.Context(), tt.c)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Open(%+v) succeeded, want an error", tt.c)
				}
				if !strings.HasPrefix(err.Error(), "blob: ") || testenv.DoubledPrefix(err.Error()) != "" {
					t.Errorf("error %q: want one blob: prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got := typeName(s); got != tt.want {
				t.Errorf("Open returned %s, want %s", got, tt.want)
			}
			if u, err := s.URL(t.Context(), "k.jpg"); err != nil || u != tt.wantURL {
				t.Errorf("URL = %q, %v; want %q", u, err, tt.wantURL)
			}
		})
	}
}

func typeName(s gram.BlobStore) string {
	switch s.(type) {
	case *blob.Disk:
		return "*blob.Disk"
	case *blob.S3:
		return "*blob.S3"
	}
	return "other"
}

// Handler writes successes only; every refusal is returned, with nothing
// written, for the API to answer.
func TestHandler(t *testing.T) {
	m := blob.NewMem("http://localhost")
	m.Put(t.Context(), "u/a.jpg", strings.NewReader("0123456789"), 10, "image/jpeg")
	h := blob.Handler(m)
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		want               int // status written on success
		body               string
		err                error // returned on refusal
	}{
		{"Get", "GET", "/media/u/a.jpg", nil, 200, "0123456789", nil},
		{"Head", "HEAD", "/media/u/a.jpg", nil, 200, "", nil},
		{"Range", "GET", "/media/u/a.jpg", map[string]string{"Range": "bytes=2-4"}, 206, "234", nil},
		{"NotModified", "GET", "/media/u/a.jpg", map[string]string{"If-Modified-Since": time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, 304, "", nil},
		{"Missing", "GET", "/media/u/b.jpg", nil, 0, "", gram.ErrNotFound},
		{"InvalidKey", "GET", "/media/u/../a.jpg", nil, 0, "", gram.ErrNotFound},
		{"OutsideMedia", "GET", "/other/u/a.jpg", nil, 0, "", gram.ErrNotFound},
		{"BadRange", "GET", "/media/u/a.jpg", map[string]string{"Range": "bytes=99-"}, 0, "", blob.ErrRangeNotSatisfiable},
		{"IfMatch", "GET", "/media/u/a.jpg", map[string]string{"If-Match": `"other"`}, 0, "", blob.ErrPreconditionFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			err := h(rec, req)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || rec.Body.Len() != 0 || rec.Code != http.StatusOK { // 200: the recorder's default, nothing written
					t.Fatalf("err = %v, wrote %d %q; want %v and nothing written", err, rec.Code, rec.Body, tt.err)
				}
				return
			}
			if err != nil || rec.Code != tt.want {
				t.Fatalf("status = %d, err = %v, want %d", rec.Code, err, tt.want)
			}
			if rec.Body.String() != tt.body {
				t.Errorf("body = %q, want %q", rec.Body.String(), tt.body)
			}
			if tt.want == http.StatusNotModified {
				return
			}
			hdr := rec.Result().Header
			for k, v := range map[string]string{"Content-Type": "image/jpeg", "Cache-Control": blob.CacheControl, "X-Content-Type-Options": "nosniff"} {
				if got := hdr.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestHandler_StoreDown(t *testing.T) {
	s, err := blob.NewS3(t.Context(), blob.S3Config{Bucket: "b", Region: "us-east-1", Endpoint: "http://127.0.0.1:1",
		ForcePathStyle: true, AccessKeyID: "k", SecretAccessKey: "s", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	err = blob.Handler(s)(httptest.NewRecorder(), httptest.NewRequest("GET", "/media/u/a.jpg", nil))
	if gram.ErrorCode(err) != gram.EUNAVAILABLE {
		t.Errorf("err = %v, want EUNAVAILABLE", err)
	}
}
