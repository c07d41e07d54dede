package openapitest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/openapi"
	"github.com/instamern/gram/internal/openapi/openapitest"
)

// TestCheck runs requests against a fake server that answers as told,
// and requires the validator to accept what the description says and
// refuse the rest.
func TestCheck(t *testing.T) {
	v, err := openapitest.New(openapi.JSON())
	if err != nil {
		t.Fatal(err)
	}
	const post = `{"_id":"650c0f1e2a3b4c5d6e7f8092","id":"650c0f1e2a3b4c5d6e7f8092","caption":"","photo":"http://x/media/p.jpg",` +
		`"postedBy":"650c0f1e2a3b4c5d6e7f8091","likes":[],"postedAt":"2026-12-03T10:15:30.123Z","like":0,"comment":0}`
	tests := []struct {
		name, method, path string
		status             int
		ctype, body        string
		valid              bool
	}{
		{"feed", "GET", "/instamern/posts", 200, "application/json; charset=utf-8", `{"status":"success","results":1,"data":{"posts":[` + post + `]}}`, true},
		{"feed with trailing slash", "GET", "/instamern/posts/", 200, "application/json", `{"status":"success","results":0,"data":{"posts":[]}}`, true},
		{"feed without data", "GET", "/instamern/posts", 200, "application/json", `{"status":"success","results":0}`, false},
		{"feed with a leaked field", "GET", "/instamern/posts", 200, "application/json", `{"status":"success","results":1,"data":{"posts":[` + strings.Replace(post, `"like":0`, `"like":0,"password":"x"`, 1) + `]}}`, false},
		{"fail envelope", "GET", "/instamern/posts/650c0f1e2a3b4c5d6e7f8092", 404, "application/json", `{"status":"fail","message":"The post no longer active."}`, true},
		{"fail without message", "GET", "/instamern/posts/650c0f1e2a3b4c5d6e7f8092", 404, "application/json", `{"status":"fail"}`, false},
		{"status as a number", "POST", "/instamern/users/login", 400, "application/json", `{"status":400,"message":"bad"}`, false},
		{"plain text error", "POST", "/instamern/users/login", 400, "text/plain", `bad`, false},
		{"internal error", "GET", "/instamern/stories", 500, "application/json", `{"status":"error","message":"Something went wrong. Please try again later."}`, true},
		{"rate limit header not a number", "GET", "/instamern/stories", 200, "application/json", `{"status":"success","results":0,"data":{"stories":[]}}`, false},
		{"unknown URL", "GET", "/nowhere", 404, "application/json", `{"status":"fail","message":"Unsupported URL: /nowhere"}`, true},
		{"unknown URL answered 200", "GET", "/nowhere", 200, "application/json", `{"status":"success"}`, false},
		{"unknown URL in plain text", "GET", "/nowhere", 404, "text/plain", `404 page not found`, false},
		{"wrong method", "PUT", "/instamern/posts", 405, "application/json", `{"status":"fail","message":"The method PUT is not allowed on /instamern/posts."}`, true},
		{"media photo", "GET", "/media/posts/a/b.jpg", 200, "image/jpeg", "\xff\xd8", true},
		{"media as HTML", "GET", "/media/posts/a/b.jpg", 200, "text/html", "<p>", false},
		{"welcome page", "GET", "/", 200, "text/html; charset=utf-8", "Welcome to the InstaMERN API", true},
		{"search with an escaped slash", "GET", "/instamern/users/search/a%2Fb", 200, "application/json", `{"status":"success","results":0,"data":{"users":[]}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				if tt.name == "rate limit header not a number" {
					w.Header().Set("RateLimit-Remaining", "many")
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			client := &http.Client{Transport: v.Transport(nil)}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := client.Do(req)
			if err == nil {
				res.Body.Close()
			}
			if tt.valid && err != nil {
				t.Fatalf("refused a response the description allows: %v", err)
			}
			if !tt.valid && err == nil {
				t.Fatalf("accepted a response the description does not allow")
			}
		})
	}
}

// TestCheckRefusal: the answer to a request that did not parse must be
// the error envelope in JSON.
func TestCheckRefusal(t *testing.T) {
	v := openapitest.ForAPI(t)
	for _, tt := range []struct {
		ctype, body string
		valid       bool
	}{
		{"application/json; charset=utf-8", `{"status":"fail","message":"The request's headers or URL are too large."}`, true},
		{"text/plain; charset=utf-8", `431 Request Header Fields Too Large`, false},
		{"application/json", `{"status":431,"message":"too large"}`, false},
	} {
		res := &http.Response{StatusCode: 431, Header: http.Header{"Content-Type": {tt.ctype}}}
		if err := v.CheckRefusal(res, []byte(tt.body)); (err == nil) != tt.valid {
			t.Errorf("%s %s: valid %v, got %v", tt.ctype, tt.body, tt.valid, err)
		}
	}
}
