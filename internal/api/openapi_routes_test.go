package api_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/openapi"
)

// TestSpecMatchesRoutes holds the OpenAPI description against the routes
// the server registers, with every optional route enabled (the SES
// webhook): a route without a description fails, and so does a
// description without a route.
func TestSpecMatchesRoutes(t *testing.T) {
	a := newApp(t, nil, app.Overrides{Store: openSQLite(t), Blobs: blob.NewMem(""),
		API: func(c *api.Config) { c.SNSTopicARN = testTopic }})
	srv, isServer := a.Handler.(*api.Server)
	if !isServer {
		t.Fatalf("app.Handler is a %T, want *api.Server", a.Handler)
	}
	var routes []string
	for _, p := range api.Patterns(srv) {
		routes = append(routes, operationOf(t, p))
	}
	if !slices.Contains(routes, "POST /instamern/webhooks/ses") {
		t.Fatalf("the SES webhook is not registered, so the test does not see every route: %v", routes)
	}
	described := specOperations(t)
	for _, r := range routes {
		if !slices.Contains(described, r) {
			t.Errorf("route %s has no description in internal/openapi/openapi.yaml", r)
		}
	}
	for _, d := range described {
		if !slices.Contains(routes, d) {
			t.Errorf("the description lists %s, which no route serves", d)
		}
	}
}

// wildcard matches a ServeMux wildcard that spans segments: {key...}.
var wildcard = regexp.MustCompile(`\{(\w+)\.\.\.\}`)

// operationOf turns a ServeMux pattern into "METHOD /openapi/path": the
// {$} anchor is dropped ("/{$}" is "/") and {key...} is the parameter
// {key}, whose value may hold slashes.
func operationOf(t *testing.T, pattern string) string {
	t.Helper()
	method, path, found := strings.Cut(pattern, " ")
	if !found || !strings.HasPrefix(path, "/") {
		t.Fatalf("pattern %q has no method: every route must name one", pattern)
	}
	path = strings.TrimSuffix(path, "{$}")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	return method + " " + wildcard.ReplaceAllString(path, "{$1}")
}

// specOperations lists "METHOD /path" for every operation of the spec.
func specOperations(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, item := range doc.Paths {
		for key := range item {
			switch key {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops = append(ops, strings.ToUpper(key)+" "+path)
			}
		}
	}
	return ops
}

// TestServesSpec: GET /openapi.json answers the description as JSON, with
// a validator for caches, and 304 when the cached copy is current.
func TestServesSpec(t *testing.T) {
	h := newHarness(t, backend{"sqlite", openSQLite})
	res, body := h.request(t, "GET", "/openapi.json", "", nil, nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if string(body) != string(openapi.JSON()) {
		t.Fatalf("the body is not openapi.JSON()")
	}
	etag := res.Header.Get("ETag")
	if etag == "" || !strings.Contains(res.Header.Get("Cache-Control"), "max-age=") {
		t.Fatalf("ETag %q, Cache-Control %q: want both", etag, res.Header.Get("Cache-Control"))
	}
	res, body = h.request(t, "GET", "/openapi.json", "", nil, map[string]string{"If-None-Match": etag})
	if res.StatusCode != 304 || len(body) != 0 {
		t.Fatalf("GET with If-None-Match: %d, %d bytes, want 304 and none", res.StatusCode, len(body))
	}
}
