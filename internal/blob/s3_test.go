package blob_test

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"github.com/instamern/gram/internal/testenv"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/blob/blobtest"
	"github.com/instamern/gram/internal/gram"
)

// s3Config returns the settings of the S3 server that scripts/services.sh
// starts, with a fresh key prefix, or skips the test unless GRAM_TEST_S3=1:
//
//	scripts/services.sh start && eval "$(scripts/services.sh env)"
//	go test ./internal/blob/
func s3Config(t *testing.T) blob.S3Config {
	t.Helper()
	needS3(t)
	bucket := os.Getenv("GRAM_TEST_S3_BUCKET")
	if bucket == "" {
		t.Fatal("GRAM_TEST_S3=1 but GRAM_TEST_S3_BUCKET is empty")
	}
	return blob.S3Config{
		Bucket:         bucket,
		Prefix:         "test-" + randomHex(t) + "/",
		Region:         os.Getenv("S3_REGION"),
		Endpoint:       os.Getenv("S3_ENDPOINT"),
		ForcePathStyle: os.Getenv("S3_FORCE_PATH_STYLE") == "true",
		Delivery:       blob.DeliveryPresign,
		PresignTTL:     5 * time.Minute,
	}
}

// needS3 skips the test unless GRAM_TEST_S3=1. CI sets it, so there a
// skip cannot hide a failure.
func needS3(t *testing.T) {
	t.Helper()
	testenv.Need(t, "GRAM_TEST_S3")
}

func newS3(t *testing.T, c blob.S3Config) *blob.S3 {
	t.Helper()
	s, err := blob.NewS3(t.Context(), c)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	t.Cleanup(func() {
		// The test's objects all sit under c.Prefix, which only a store
		// without a prefix can delete. t.Context is done in cleanups.
		prefix := c.Prefix
		c.Prefix = ""
		all, err := blob.NewS3(context.Background(), c)
		if err == nil {
			err = all.DeletePrefix(context.Background(), prefix)
		}
		if err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return s
}

func randomHex(t *testing.T) string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TestS3 runs the suite in presign mode: the versitygw bucket is private,
// so the URL check fetches real presigned GETs.
func TestS3(t *testing.T) {
	t.Parallel()
	needS3(t)
	blobtest.Run(t, func(t *testing.T) gram.BlobStore { return newS3(t, s3Config(t)) })
}

func TestS3_ProxyMode(t *testing.T) {
	t.Parallel()
	needS3(t)
	blobtest.Run(t, func(t *testing.T) gram.BlobStore {
		c := s3Config(t)
		c.Delivery = blob.DeliveryProxy
		return serve(t, func(base string) gram.BlobStore { c.AppURL = base; return newS3(t, c) })
	})
}

func TestS3_PresignedURL(t *testing.T) {
	t.Parallel()
	c := s3Config(t)
	c.PresignTTL = time.Second
	s := newS3(t, c)
	const key, body = "users/u1/p.jpg", "private bytes"
	if err := s.Put(t.Context(), key, strings.NewReader(body), int64(len(body)), "image/jpeg"); err != nil {
		t.Fatalf("Put: %v", err)
	}
	u, err := s.URL(t.Context(), key)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	if got := get(t, u); got != http.StatusOK {
		t.Fatalf("GET presigned URL = %d, want 200", got)
	}
	t.Run("UnsignedIsRefused", func(t *testing.T) {
		unsigned, _, _ := strings.Cut(u, "?")
		if got := get(t, unsigned); got != http.StatusForbidden {
			t.Errorf("GET without signature = %d, want 403 (the bucket is private)", got)
		}
	})
	t.Run("TamperedIsRefused", func(t *testing.T) {
		if got := get(t, strings.Replace(u, "p.jpg", "q.jpg", 1)); got != http.StatusForbidden {
			t.Errorf("GET with another key = %d, want 403", got)
		}
	})
	t.Run("ExpiredIsRefused", func(t *testing.T) {
		time.Sleep(2 * time.Second)
		if got := get(t, u); got != http.StatusForbidden {
			t.Errorf("GET after PresignTTL = %d, want 403", got)
		}
	})
}

// get returns the status of an anonymous GET of u.
func get(t *testing.T, u string) int {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestS3_Unreachable needs no server: nothing listens on port 1, and every
// call must fail fast with EUNAVAILABLE instead of hanging.
func TestS3_Unreachable(t *testing.T) {
	s, err := blob.NewS3(t.Context(), blob.S3Config{
		Bucket: "b", Region: "us-east-1", Endpoint: "http://127.0.0.1:1", ForcePathStyle: true,
		AccessKeyID: "k", SecretAccessKey: "s", Delivery: blob.DeliveryPresign,
		PutTimeout: time.Second, CallTimeout: time.Second, MaxAttempts: 2,
	})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	calls := map[string]func(context.Context) error{
		"Put": func(ctx context.Context) error {
			return s.Put(ctx, "a/b.jpg", strings.NewReader("x"), 1, "image/jpeg")
		},
		"Get": func(ctx context.Context) error {
			_, _, err := s.Get(ctx, "a/b.jpg")
			return err
		},
		"Head":         func(ctx context.Context) error { _, err := s.Head(ctx, "a/b.jpg"); return err },
		"Delete":       func(ctx context.Context) error { return s.Delete(ctx, "a/b.jpg") },
		"DeletePrefix": func(ctx context.Context) error { return s.DeletePrefix(ctx, "a/") },
		"List":         func(ctx context.Context) error { _, err := s.List(ctx, "a/"); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := call(t.Context())
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %v, want a fast failure", took)
			}
			if gram.ErrorCode(err) != gram.EUNAVAILABLE || errors.Is(err, gram.ErrNotFound) {
				t.Fatalf("err = %v, want code %s", err, gram.EUNAVAILABLE)
			}
			if msg := gram.ErrorMessage(err); msg != "Media storage is unavailable. Please try again later." {
				t.Errorf("message = %q, want the client-safe unavailable message", msg)
			}
		})
	}
}

func TestS3_CallerCancelIsNotUnavailable(t *testing.T) {
	s, err := blob.NewS3(t.Context(), blob.S3Config{
		Bucket: "b", Region: "us-east-1", Endpoint: "http://127.0.0.1:1", ForcePathStyle: true,
		AccessKeyID: "k", SecretAccessKey: "s",
	})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = s.Head(ctx, "a/b.jpg")
	if !errors.Is(err, context.Canceled) || gram.ErrorCode(err) == gram.EUNAVAILABLE {
		t.Errorf("Head with a cancelled context: err = %v, want context.Canceled, not unavailable", err)
	}
}

func TestS3_URL(t *testing.T) {
	tests := []struct {
		name string
		c    blob.S3Config
		want string
	}{
		{"AWSDefault", blob.S3Config{Region: "eu-west-1"},
			"https://media.s3.eu-west-1.amazonaws.com/pre/users/u1/a%20b.jpg"},
		{"PathStyleEndpoint", blob.S3Config{Endpoint: "http://127.0.0.1:7070", ForcePathStyle: true},
			"http://127.0.0.1:7070/media/pre/users/u1/a%20b.jpg"},
		{"VirtualHostEndpoint", blob.S3Config{Endpoint: "https://s3.example.com"},
			"https://media.s3.example.com/pre/users/u1/a%20b.jpg"},
		{"CDN", blob.S3Config{PublicURL: "https://cdn.example.com/"},
			"https://cdn.example.com/pre/users/u1/a%20b.jpg"},
		{"Proxy", blob.S3Config{Delivery: blob.DeliveryProxy, AppURL: "http://localhost:8080"},
			"http://localhost:8080/media/users/u1/a%20b.jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			c.Bucket, c.Prefix, c.AccessKeyID, c.SecretAccessKey = "media", "pre", "k", "s"
			c.Region = cmp.Or(c.Region, "us-east-1")
			s, err := blob.NewS3(t.Context(), c)
			if err != nil {
				t.Fatalf("NewS3: %v", err)
			}
			if got, err := s.URL(t.Context(), "users/u1/a b.jpg"); err != nil || got != tt.want {
				t.Errorf("URL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
