package api

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// A token is verified once per request: an outcome kept in the request is
// reused for the same token (even one that would not verify, which shows
// no second check ran), and a different token is verified afresh.
func TestVerifyTokenOnce(t *testing.T) {
	s := &Server{tokens: newTokens([]string{"secret-0123456789abcdef0123456789abcdef"}, time.Hour)}
	r := httptest.NewRequest("GET", "/", nil)
	if v := s.verifyToken(r, "not-a-jwt"); !errors.Is(v.err, gram.ErrAuthFailed) {
		t.Fatalf("a bad token verified: %+v", v)
	}
	kept := keepVerified(r, verified{raw: "not-a-jwt", userID: "u1", sessionID: "s1"})
	if v := s.verifyToken(kept, "not-a-jwt"); v.err != nil || v.userID != "u1" || v.sessionID != "s1" {
		t.Fatalf("the kept outcome was not reused: %+v", v)
	}
	if v := s.verifyToken(kept, "another-token"); !errors.Is(v.err, gram.ErrAuthFailed) {
		t.Fatalf("another token took the kept outcome: %+v", v)
	}
}
