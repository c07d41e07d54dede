package blob_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
)

// fakeS3 returns a store pointed at endpoint with the given call timeout.
func fakeS3(t *testing.T, endpoint string, timeout time.Duration) *blob.S3 {
	t.Helper()
	s, err := blob.NewS3(t.Context(), blob.S3Config{
		Bucket: "b", Region: "us-east-1", Endpoint: endpoint, ForcePathStyle: true,
		AccessKeyID: "k", SecretAccessKey: "s",
		CallTimeout: timeout, MaxAttempts: 3,
	})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	return s
}

func TestS3_RetriesThenUnavailable(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
	}{
		{"ServiceUnavailable", http.StatusServiceUnavailable, "ServiceUnavailable"},
		{"SlowDown", http.StatusServiceUnavailable, "SlowDown"},
		{"InternalError", http.StatusInternalServerError, "InternalError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(tt.status)
				w.Write([]byte("<Error><Code>" + tt.code + "</Code><Message>busy</Message></Error>"))
			}))
			defer srv.Close()
			_, err := fakeS3(t, srv.URL, 10*time.Second).List(t.Context(), "a/")
			if gram.ErrorCode(err) != gram.EUNAVAILABLE {
				t.Errorf("err = %v, want code %s", err, gram.EUNAVAILABLE)
			}
			if n := calls.Load(); n != 3 {
				t.Errorf("server saw %d attempts, want MaxAttempts = 3", n)
			}
		})
	}
}

// TestS3_HungServerTimesOut: a server that accepts connections and never
// answers must not hang the request past the call timeout.
func TestS3_HungServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	start := time.Now()
	_, err = fakeS3(t, "http://"+ln.Addr().String(), 500*time.Millisecond).Head(t.Context(), "a/b.jpg")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Head took %v, want it cut off by the 500ms call timeout", took)
	}
	if gram.ErrorCode(err) != gram.EUNAVAILABLE {
		t.Errorf("err = %v, want code %s", err, gram.EUNAVAILABLE)
	}
}
