package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/openapi"
	"github.com/instamern/gram/internal/openapi/openapitest"
)

// TestE2E_OpenAPI fetches /openapi.json from the real binary: it must be a
// valid OpenAPI 3.1 document (loaded and validated by kin-openapi) that
// describes every endpoint of the original API and the service routes.
func TestE2E_OpenAPI(t *testing.T) {
	g := startGramd(t, "")
	res, err := g.client.Get(g.base + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: %d %q %v", res.StatusCode, res.Header.Get("Content-Type"), err)
	}
	v, err := openapitest.New(body)
	if err != nil {
		t.Fatalf("the served description: %v", err)
	}
	paths := v.Doc().Paths
	for _, op := range []string{
		"GET /", "GET /healthz", "GET /readyz", "GET /openapi.json", "GET /media/{key}",
		"GET /instamern/users", "GET /instamern/users/id/{id}", "GET /instamern/users/username/{username}",
		"GET /instamern/users/search/{username}", "POST /instamern/users/signup", "POST /instamern/users/login",
		"POST /instamern/users/forgot-password", "PATCH /instamern/users/reset-password/{token}",
		"GET /instamern/users/authorization/current-user", "POST /instamern/users/follow/{username}",
		"POST /instamern/users/unfollow/{username}", "POST /instamern/users/upload", "POST /instamern/users/remove",
		"POST /instamern/users/logout", "PATCH /instamern/users/update", "PATCH /instamern/users/change-email",
		"PATCH /instamern/users/change-password", "DELETE /instamern/users/deactivate", "DELETE /instamern/users/delete",
		"GET /instamern/posts", "GET /instamern/posts/{id}", "POST /instamern/posts/upload", "POST /instamern/posts/like/{id}",
		"POST /instamern/posts/update/{id}", "DELETE /instamern/posts/delete/{id}", "POST /instamern/posts/comments/{id}",
		"DELETE /instamern/posts/comments/{id}", "GET /instamern/stories", "POST /instamern/stories/upload",
	} {
		method, path, _ := strings.Cut(op, " ")
		if item := paths.Value(path); item == nil || item.GetOperation(method) == nil {
			t.Errorf("the served description does not describe %s", op)
		}
	}
	// The route test (internal/api) holds this same document against every
	// registered route.
	if string(body) != string(openapi.JSON()) {
		t.Errorf("the binary serves another description than internal/openapi's")
	}
}
