package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/blob"
)

// hostileSegments are path parameters as they appear on the wire (already
// escaped): SQL, traversal, invalid UTF-8, NUL, operator objects, overlong.
var hostileSegments = []struct{ name, raw string }{
	{"SQLOr", url.PathEscape(`' OR 1=1 --`)},
	{"SQLDrop", url.PathEscape(`'; DROP TABLE users; --`)},
	{"SQLUnion", url.PathEscape(`x' UNION SELECT password_hash FROM users --`)},
	{"SQLLike", url.PathEscape(`%' OR username LIKE '%`)},
	{"LikeWildcard", "%25"},
	{"LikeUnderscore", "___"},
	{"TraversalEscaped", "..%2f..%2f..%2fetc%2fpasswd"},
	{"TraversalDotsEscaped", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"},
	{"TraversalDoubleEscaped", "..%252f..%252fetc%252fpasswd"},
	{"TraversalBackslash", "..%5c..%5cwindows%5cwin.ini"},
	{"AbsolutePath", "%2fetc%2fpasswd"},
	{"Dots", "%2e%2e"},
	{"NUL", "%00"},
	{"NULInside", "alice%00.jpg"},
	{"InvalidUTF8", "%ff%fe"},
	{"InvalidUTF8Mixed", "ali%c3%28ce"},
	{"Operator", url.PathEscape(`{"$gt":""}`)},
	{"Regex", url.PathEscape(`.*`)},
	{"RegexDoS", url.PathEscape(`(a+)+$`)},
	{"Overlong", strings.Repeat("a", 10_000)},
	{"UnknownID", "ffffffffffffffffffffffff"},
	{"UppercaseID", "FFFFFFFFFFFFFFFFFFFFFFFF"},
}

// pathEndpoint is a route with one parameter; body is sent as JSON when
// not nil.
type pathEndpoint struct {
	name, method, prefix string
	token                func(*fixture) string
	body                 map[string]any
}

var pathEndpoints = []pathEndpoint{
	{"UserByID", "GET", "/instamern/users/id/", nil, nil},
	{"UserByUsername", "GET", "/instamern/users/username/", nil, nil},
	{"ResetPassword", "PATCH", "/instamern/users/reset-password/", nil, map[string]any{"password": "newpass123", "passwordConfirm": "newpass123"}},
	{"Follow", "POST", "/instamern/users/follow/", alicesToken, nil},
	{"Unfollow", "POST", "/instamern/users/unfollow/", alicesToken, nil},
	{"Post", "GET", "/instamern/posts/", nil, nil},
	{"Like", "POST", "/instamern/posts/like/", bobsToken, nil},
	{"Save", "POST", "/instamern/posts/save/", bobsToken, nil},
	{"Unsave", "DELETE", "/instamern/posts/save/", bobsToken, nil},
	{"UpdatePost", "POST", "/instamern/posts/update/", alicesToken, map[string]any{"caption": "changed"}},
	{"DeletePost", "DELETE", "/instamern/posts/delete/", alicesToken, nil},
	{"Comment", "POST", "/instamern/posts/comments/", bobsToken, map[string]any{"comment": "hostile"}},
	{"DeleteComment", "DELETE", "/instamern/posts/comments/", bobsToken, nil},
	{"DeleteStory", "DELETE", "/instamern/stories/", alicesToken, nil},
	{"ConfirmEmail", "POST", "/instamern/users/confirm-email/", nil, nil},
	{"EndSession", "DELETE", "/instamern/users/sessions/", alicesToken, nil},
	{"StaffDeletePost", "DELETE", "/instamern/admin/posts/", adminsToken, map[string]any{"reason": "x"}},
	{"StaffDeleteComment", "DELETE", "/instamern/admin/comments/", adminsToken, map[string]any{"reason": "x"}},
	{"StaffDeleteStory", "DELETE", "/instamern/admin/stories/", adminsToken, map[string]any{"reason": "x"}},
	{"StaffReport", "GET", "/instamern/admin/reports/", adminsToken, nil},
}

// staffUserRoutes take the hostile id in the middle of the path.
var staffUserRoutes = []struct {
	method, suffix string
	body           map[string]any
}{
	{"POST", "/suspend", map[string]any{"reason": "x"}},
	{"POST", "/unsuspend", map[string]any{"reason": "x"}},
	{"PATCH", "/role", map[string]any{"role": "admin", "reason": "x"}},
}

// rawRequest sends method to a path that is already escaped, exactly as
// given.
func (fx *fixture) rawRequest(t *testing.T, method, rawPath, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, fx.h.srv.URL, rd)
	if err != nil {
		t.Fatal(err)
	}
	if req.URL, err = url.Parse(fx.h.srv.URL + rawPath); err != nil {
		t.Fatalf("parse %q: %v", rawPath, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return fx.h.send(t, req)
}

// Hostile path parameters on every route that takes one: a JSON fail with
// a 4xx status and nothing written. Search answers an empty list instead:
// its parameter is a search term, matched literally.
func TestBadInputPathParams(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		for _, ep := range pathEndpoints {
			for _, seg := range hostileSegments {
				t.Run(ep.name+"/"+seg.name, func(t *testing.T) {
					tok := ""
					if ep.token != nil {
						tok = ep.token(fx)
					}
					before := fx.snapshot(t)
					var body any
					if ep.body != nil {
						body = ep.body
					}
					res, raw := fx.rawRequest(t, ep.method, ep.prefix+seg.raw, tok, body)
					fx.rejected(t, res, raw, 0, before)
				})
			}
		}
		for _, r := range staffUserRoutes {
			for _, seg := range hostileSegments {
				t.Run("StaffUser"+r.suffix+"/"+seg.name, func(t *testing.T) {
					before := fx.snapshot(t)
					res, raw := fx.rawRequest(t, r.method, "/instamern/admin/users/"+seg.raw+r.suffix, fx.admin.Token, r.body)
					fx.rejected(t, res, raw, 0, before)
				})
			}
		}
		// Unclean paths are not found, rather than redirected to the
		// route their cleaned form names.
		for _, p := range []string{
			"/instamern/users/id/../username/alice", "/instamern/users/search/../username/alice",
			"/instamern//users", "/instamern/./users", "/instamern/posts/" + fx.postID + "/..",
			"/instamern/users/follow/x/../../follow/bob",
		} {
			t.Run("Unclean"+p, func(t *testing.T) {
				before := fx.snapshot(t)
				res, raw := fx.rawRequest(t, "POST", p, fx.alice.Token, nil)
				fx.rejected(t, res, raw, http.StatusNotFound, before)
				res, raw = fx.rawRequest(t, "GET", p, "", nil)
				fx.rejected(t, res, raw, http.StatusNotFound, before)
			})
		}
		for _, seg := range hostileSegments {
			t.Run("Search/"+seg.name, func(t *testing.T) {
				before := fx.snapshot(t)
				res, raw := fx.rawRequest(t, "GET", "/instamern/users/search/"+seg.raw, "", nil)
				if res.StatusCode >= 400 {
					fx.rejected(t, res, raw, 0, before)
					return
				}
				body := envelopeOf(t, res, raw)
				wantSuccess(t, res.StatusCode, body, http.StatusOK)
				if users := list(t, body, "data", "users"); len(users) != 0 {
					t.Errorf("search %s found %d users: %v", seg.name, len(users), users)
				}
				fx.unchanged(t, before)
				fx.healthy(t)
			})
		}
	})
}

// Hostile paging parameters on every paged list (the feed, the staff
// user list, the audit log): a 400 fail, nothing written.
func TestBadInputQueryParams(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		lists := []struct{ path, token string }{
			{"/instamern/posts", ""}, {"/instamern/admin/users", fx.admin.Token}, {"/instamern/admin/audit", fx.admin.Token},
			{"/instamern/admin/reports", fx.admin.Token}, {"/instamern/reports", fx.bob.Token},
		}
		for _, l := range lists {
			for _, q := range []string{
				"limit=-1", "limit=0", "limit=abc", "limit=1e9", "limit=99999999999999999999", "limit=%00",
				"limit=" + url.QueryEscape("1 OR 1=1"), "limit[$gt]=0",
				"before=x", "before=" + url.QueryEscape("1_' OR 1=1 --"), "before=" + url.QueryEscape("1_'; DROP TABLE posts; --"),
				"before=-5_ffffffffffffffffffffffff", "before=99999999999999999999_ffffffffffffffffffffffff",
				"before=1_%ff%fe", "before=1_%00", "before=" + strings.Repeat("9", 5000),
			} {
				t.Run(l.path+"?"+q, func(t *testing.T) {
					before := fx.snapshot(t)
					res, raw := fx.rawRequest(t, "GET", l.path+"?"+q, l.token, nil)
					if q == "limit[$gt]=0" { // an unknown parameter is ignored
						wantSuccess(t, res.StatusCode, envelopeOf(t, res, raw), http.StatusOK)
						return
					}
					fx.rejected(t, res, raw, http.StatusBadRequest, before)
				})
			}
		}
	})
}

// Traversal in media keys, served from a real disk folder with a secret
// file next to it: always a JSON 404, and the secret is never read.
func TestBadInputMediaKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dir := t.TempDir()
		const secret = "TOP-SECRET-CONTENT"
		if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(secret), 0o600); err != nil {
			t.Fatal(err)
		}
		disk, err := blob.NewDisk(filepath.Join(dir, "media"), "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = disk.Close() })
		if err := disk.Put(t.Context(), "users/.hidden", strings.NewReader(secret), int64(len(secret)), "text/plain"); err == nil {
			t.Fatal("disk accepted a dot key")
		}
		fx := newFixture(t, b, withMedia(blob.Handler(disk)))
		for _, p := range []string{
			"/media/../secret.txt",
			"/media/..%2fsecret.txt",
			"/media/%2e%2e%2fsecret.txt",
			"/media/%2e%2e/secret.txt",
			"/media/users/..%2f..%2fsecret.txt",
			"/media/..%252fsecret.txt",
			"/media/%2f" + strings.TrimPrefix(filepath.Join(dir, "secret.txt"), "/"),
			"/media//" + strings.TrimPrefix(filepath.Join(dir, "secret.txt"), "/"),
			"/media/..%5csecret.txt",
			"/media/secret.txt%00.jpg",
			"/media/%00",
			"/media/users/%ff%fe.jpg",
			"/media/....//....//secret.txt",
			"/media/.%2e/secret.txt",
			"/media/users/.hidden",
			"/media/" + strings.Repeat("a/", 600) + "x.jpg",
			"/media/", "/media",
		} {
			t.Run(p, func(t *testing.T) {
				before := fx.snapshot(t)
				res, raw := fx.rawRequest(t, "GET", p, "", nil)
				if strings.Contains(string(raw), secret) {
					t.Fatalf("%s served the secret file", p)
				}
				fx.rejected(t, res, raw, http.StatusNotFound, before)
			})
		}
	})
}

// Hostile search terms in the staff user list (?q= matches username or
// email): matched literally, so nothing is found; never a 500.
func TestBadInputStaffSearch(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		for _, seg := range hostileSegments {
			if seg.name == "UnknownID" || seg.name == "UppercaseID" {
				continue
			}
			t.Run(seg.name, func(t *testing.T) {
				before := fx.snapshot(t)
				q := strings.NewReplacer("%2F", "%252F", "%2f", "%252f").Replace(seg.raw) // a "/" stays in the term
				res, raw := fx.rawRequest(t, "GET", "/instamern/admin/users?q="+q, fx.admin.Token, nil)
				if res.StatusCode >= 400 {
					fx.rejected(t, res, raw, 0, before)
					return
				}
				body := envelopeOf(t, res, raw)
				wantSuccess(t, res.StatusCode, body, http.StatusOK)
				if users := list(t, body, "data", "users"); len(users) != 0 {
					t.Errorf("q=%s found %d users", seg.raw, len(users))
				}
				fx.unchanged(t, before)
			})
		}
	})
}
