package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/seed"
)

// benchHarness is a harness on SQLite seeded with a few thousand posts;
// users log in with seed.Password.
func benchHarness(b *testing.B) *harness {
	b.Helper()
	h := newHarness(b, backend{"sqlite", openSQLite})
	hash, err := seed.HashPassword(b.Context(), h.hasher)
	if err != nil {
		b.Fatal(err)
	}
	c := seed.Config{Users: 500, Posts: 5000, Likes: 50_000, Comments: 5000, Follows: 5000, Seed: 1, PasswordHash: hash}
	if _, err := seed.Load(b.Context(), h.store, c, seed.Options{}); err != nil {
		b.Fatal(err)
	}
	return h
}

// serve runs one request through the handler, without a network.
func (h *harness) serve(b *testing.B, method, path, token string, want int) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(b.Context(), method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	return rec
}

// BenchmarkFeed measures a feed page end to end in the handler: the
// keyset query, the likers of each post, the views and the JSON encoding.
func BenchmarkFeed(b *testing.B) {
	h := benchHarness(b)
	deep := strconv.FormatInt(time.Now().Add(-360*24*time.Hour).UnixMilli(), 10) + "_ffffffffffffffffffffffff"
	for _, bc := range []struct{ name, path string }{
		{"first", "/instamern/posts"},
		{"deep", "/instamern/posts?before=" + deep},
		{"first-100", "/instamern/posts?limit=100"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = h.serve(b, http.MethodGet, bc.path, "", http.StatusOK).Body.Len()
			}
			b.ReportMetric(float64(n), "bytes/page")
		})
	}
	// Over loopback TCP with 16 concurrent clients: adds the HTTP
	// framing and the writes the handler benchmarks above do not see.
	b.Run("first-http", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(8) // 8 x GOMAXPROCS goroutines
		client := h.srv.Client()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				res, err := client.Get(h.srv.URL + "/instamern/posts")
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	})
}

// BenchmarkLikeToggle measures a like toggle in the store (one
// transaction) and through the API (token, session, toggle, notification).
func BenchmarkLikeToggle(b *testing.B) {
	h := benchHarness(b)
	var postID, userID string
	if err := h.store.DB().QueryRowContext(b.Context(), `SELECT id, author_id FROM posts LIMIT 1`).Scan(&postID, &userID); err != nil {
		b.Fatal(err)
	}
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.store.ToggleLike(b.Context(), postID, userID, time.Now(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("http", func(b *testing.B) {
		token := h.benchLogin(b, seed.Username(1))
		for b.Loop() {
			h.serve(b, http.MethodPost, "/instamern/posts/like/"+postID, token, http.StatusOK)
		}
	})
}

func (h *harness) benchLogin(b *testing.B, username string) string {
	b.Helper()
	body := `{"username":"` + username + `","password":"` + seed.Password + `"}`
	req := httptest.NewRequestWithContext(b.Context(), http.MethodPost, "/instamern/users/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.srv.Config.Handler.ServeHTTP(rec, req)
	var out struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Token == "" {
		b.Fatalf("login: %d %s", rec.Code, rec.Body.String())
	}
	return out.Token
}
