package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/blob"
)

// §1.3: CORS for the client's origin, with credentials.
func TestCORS(t *testing.T) {
	h := newHarness(t, backends()[0])
	alice := h.signup(t, "alice")
	const me = "/instamern/users/authorization/current-user"

	t.Run("AllowedOrigin", func(t *testing.T) {
		for _, tc := range []struct {
			name, token string
			status      int
		}{{"Success", alice.Token, 200}, {"Fail", "null", 401}} {
			t.Run(tc.name, func(t *testing.T) {
				res, raw := h.request(t, "GET", me, tc.token, nil, map[string]string{"Origin": testOrigin})
				envelopeOf(t, res, raw)
				if res.StatusCode != tc.status {
					t.Fatalf("status %d", res.StatusCode)
				}
				hd := res.Header
				if hd.Get("Access-Control-Allow-Origin") != testOrigin || hd.Get("Access-Control-Allow-Credentials") != "true" {
					t.Errorf("CORS headers %v", hd)
				}
				if !strings.Contains(strings.Join(hd.Values("Vary"), ","), "Origin") {
					t.Errorf("Vary %v", hd.Values("Vary"))
				}
			})
		}
	})

	t.Run("Preflight", func(t *testing.T) {
		for _, method := range []string{"GET", "POST", "PATCH", "DELETE"} {
			res, raw := h.request(t, "OPTIONS", me, "", nil, map[string]string{
				"Origin": testOrigin, "Access-Control-Request-Method": method,
				"Access-Control-Request-Headers": "authorization,content-type",
			})
			hd := res.Header
			if res.StatusCode != http.StatusNoContent || len(raw) != 0 {
				t.Fatalf("preflight %s: %d %q", method, res.StatusCode, raw)
			}
			if hd.Get("Access-Control-Allow-Origin") != testOrigin || hd.Get("Access-Control-Allow-Credentials") != "true" ||
				!strings.Contains(hd.Get("Access-Control-Allow-Methods"), method) ||
				hd.Get("Access-Control-Allow-Headers") != "authorization,content-type" {
				t.Errorf("preflight %s headers %v", method, hd)
			}
		}
	})

	t.Run("DisallowedOrigin", func(t *testing.T) {
		for _, method := range []string{"GET", "OPTIONS"} {
			res, raw := h.request(t, method, me, alice.Token, nil, map[string]string{
				"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
			wantFail(t, res.StatusCode, envelopeOf(t, res, raw), http.StatusForbidden, "Not allowed by CORS")
			if v := res.Header.Get("Access-Control-Allow-Origin"); v != "" {
				t.Errorf("%s: Allow-Origin %q on a rejected origin", method, v)
			}
		}
	})

	t.Run("NoOrigin", func(t *testing.T) {
		res, raw := h.request(t, "GET", me, alice.Token, nil, nil)
		wantSuccess(t, res.StatusCode, envelopeOf(t, res, raw), 200)
		if v := res.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("Allow-Origin %q without an Origin", v)
		}
	})
}

// §1.4: helmet-equivalent headers on every response.
func TestSecurityHeaders(t *testing.T) {
	for _, mode := range []struct{ prod, tls bool }{{false, false}, {true, false}, {false, true}} {
		prod := mode.prod || mode.tls // HSTS and Secure cookies: production, or TLS served here
		t.Run("production="+strconv.FormatBool(mode.prod)+",tls="+strconv.FormatBool(mode.tls), func(t *testing.T) {
			h := newHarness(t, backends()[0], withAPI(func(c *api.Config) { c.Production, c.TLS = mode.prod, mode.tls }))
			res, _ := h.request(t, "POST", "/instamern/users/signup", "", map[string]any{"firstname": "Ann", "lastname": "Lee",
				"username": "ann", "email": "ann@example.com", "password": testPassword, "passwordConfirm": testPassword}, nil)
			if c := res.Cookies(); len(c) != 1 || c[0].Secure != prod || !c[0].HttpOnly {
				t.Errorf("signup cookie %+v; want HttpOnly, Secure=%v", c, prod)
			}
			for _, path := range []string{"/", "/instamern/users", "/nope"} {
				res, _ := h.request(t, "GET", path, "", nil, nil)
				want := map[string]string{
					"X-Content-Type-Options": "nosniff",
					"Referrer-Policy":        "no-referrer",
					"X-Frame-Options":        "DENY",
				}
				for k, v := range want {
					if got := res.Header.Get(k); got != v {
						t.Errorf("%s: %s = %q, want %q", path, k, got, v)
					}
				}
				for _, k := range []string{"Content-Security-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "X-Request-Id"} {
					if res.Header.Get(k) == "" {
						t.Errorf("%s: %s missing", path, k)
					}
				}
				if res.Header.Get("X-Powered-By") != "" {
					t.Errorf("X-Powered-By present")
				}
				if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != prod {
					t.Errorf("%s: HSTS %q with production or TLS=%v", path, hsts, prod)
				}
			}
		})
	}
}

// Every answer, a miss or a panic's included, names the replica when
// Instance is set, and no answer does when it is not.
func TestInstanceHeader(t *testing.T) {
	for _, name := range []string{"gramd-2", ""} {
		t.Run("instance="+name, func(t *testing.T) {
			h := newHarness(t, backends()[0], withAPI(func(c *api.Config) { c.Instance = name }))
			for _, path := range []string{"/", "/healthz", "/instamern/nothing-here", "/instamern/posts"} {
				res, _ := h.request(t, "GET", path, "", nil, nil)
				if got, ok := res.Header["X-Gram-Instance"]; (name == "" && ok) || (name != "" && (len(got) != 1 || got[0] != name)) {
					t.Errorf("GET %s: X-Gram-Instance %q, want %q", path, got, name)
				}
			}
		})
	}
}

// §1.2 and B25: routing misses and bad bodies are JSON fail envelopes.
func TestRoutingAndBodies(t *testing.T) {
	h := newHarness(t, backends()[0])
	alice := h.signup(t, "alice")

	t.Run("Welcome", func(t *testing.T) {
		res, raw := h.request(t, "GET", "/", "", nil, nil)
		if res.StatusCode != 200 || string(raw) != "Welcome to the InstaMERN API" {
			t.Errorf("GET /: %d %q", res.StatusCode, raw)
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			st, body := h.do(t, "GET", p, "", nil)
			wantSuccess(t, st, body, 200)
		}
	})

	t.Run("TrailingSlash", func(t *testing.T) {
		for _, p := range []string{"/instamern/users/", "/instamern/stories/", "/instamern/posts/", "/instamern/users/username/alice/"} {
			st, body := h.do(t, "GET", p, "", nil)
			wantSuccess(t, st, body, 200)
		}
		st, body := h.do(t, "POST", "/instamern/users/login/", "", map[string]any{"username": "alice", "password": testPassword})
		wantSuccess(t, st, body, 200)
	})

	t.Run("HEAD", func(t *testing.T) {
		res, _ := h.request(t, "HEAD", "/instamern/users", "", nil, nil)
		if res.StatusCode != 200 {
			t.Errorf("HEAD: %d", res.StatusCode)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		for _, p := range []string{"/nope?x=1", "/instamern/users/unknown/deep", "/instamern/users/search/", "/instamern"} {
			st, body := h.do(t, "GET", p, "", nil)
			wantFail(t, st, body, 404, "")
		}
		st, body := h.do(t, "GET", "/nope?x=1", "", nil)
		wantFail(t, st, body, 404, "Unsupported URL: /nope?x=1")
	})

	t.Run("MethodNotAllowed", func(t *testing.T) {
		for _, tc := range []struct{ method, path string }{
			{"DELETE", "/instamern/users/login"}, {"PUT", "/instamern/posts"}, {"GET", "/instamern/users/logout"},
		} {
			res, raw := h.request(t, tc.method, tc.path, "", nil, nil)
			wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 405, "")
			if res.Header.Get("Allow") == "" {
				t.Errorf("%s %s: no Allow header", tc.method, tc.path)
			}
		}
	})

	cases := []struct {
		name, body, ctype string
		status            int
		msg               string
	}{
		{"Operator", `{"username":{"$gt":""},"password":"x"}`, "", 400, `The field "username" must be a string.`},
		{"Number", `{"username":5,"password":"x"}`, "", 400, `The field "username" must be a string.`},
		{"DuplicateKey", `{"username":"alice","username":"bob","password":"x"}`, "", 400, `The field "username" appears more than once.`},
		{"Malformed", `{"username":`, "", 400, "The request body is not valid JSON."},
		{"Array", `[{"username":"alice"}]`, "", 400, "The request body must be a JSON object."},
		{"Trailing", `{"username":"alice","password":"x"} {}`, "", 400, "The request body must be a single JSON object."},
		{"NotJSON", `username=alice`, "application/x-www-form-urlencoded", 415, ""},
		{"TooLarge", `{"username":"` + strings.Repeat("a", 1<<20) + `"}`, "", 413, ""},
	}
	for _, tc := range cases {
		t.Run("Body_"+tc.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tc.ctype != "" {
				hdr["Content-Type"] = tc.ctype
			}
			res, raw := h.request(t, "POST", "/instamern/users/login", "", tc.body, hdr)
			wantFail(t, res.StatusCode, envelopeOf(t, res, raw), tc.status, tc.msg)
		})
	}
	t.Run("Body_TooLargeAuthenticated", func(t *testing.T) {
		st, body := h.do(t, "PATCH", "/instamern/users/update", alice.Token, `{"bio":"`+strings.Repeat("a", 2<<20)+`"}`)
		wantFail(t, st, body, 413, "")
	})
}

// §1.4, B1: per-IP rate limits on the auth endpoints, answered in JSON;
// each action has a budget of its own.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, backends()[0], withAuthLimit(3))
	h.signup(t, "alice") // 1 of 3 signups
	want429 := func(p string, body any) {
		t.Helper()
		res, raw := h.request(t, "POST", p, "", body, nil)
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), http.StatusTooManyRequests, "")
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		for _, k := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
			if res.Header.Get(k) == "" {
				t.Errorf("%s missing", k)
			}
		}
		if res.Header.Get("RateLimit-Limit") != "3" || res.Header.Get("RateLimit-Remaining") != "0" {
			t.Errorf("RateLimit headers %v", res.Header)
		}
	}
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/instamern/users/login", map[string]any{"username": "alice", "password": testPassword}},
		{"/instamern/users/forgot-password", map[string]any{"email": "alice@example.com"}},
	} {
		for i := 1; i <= 3; i++ { // the signup spent nothing of these
			res, raw := h.request(t, "POST", c.path, "", c.body, nil)
			wantSuccess(t, res.StatusCode, envelopeOf(t, res, raw), 200)
			if got := res.Header.Get("RateLimit-Remaining"); got != strconv.Itoa(3-i) {
				t.Errorf("%s %d: RateLimit-Remaining %q", c.path, i, got)
			}
		}
		want429(c.path, c.body)
	}
	h.signup(t, "bob") // nor did the logins and resets spend signups
	h.signup(t, "carol")
	want429("/instamern/users/signup", map[string]any{"username": "dave"})
	// Reads are not limited by the auth rules.
	st, body := h.do(t, "GET", "/instamern/users", "", nil)
	wantSuccess(t, st, body, 200)
}

// A panic in a handler becomes a 500 "error" envelope.
func TestPanic(t *testing.T) {
	h := newHarness(t, backends()[0], withMedia(func(http.ResponseWriter, *http.Request) error { panic("boom") }))
	st, body := h.do(t, "GET", "/media/users/x.jpg", "", nil)
	if st != 500 || body["status"] != "error" || strings.Contains(body["message"].(string), "boom") {
		t.Errorf("panic: %d %v", st, body)
	}
	st, body = h.do(t, "GET", "/instamern/users", "", nil) // the server lives on
	wantSuccess(t, st, body, 200)
}

// Media: served under /media/ with its content type and immutable caching;
// a missing object is a 404.
func TestMedia(t *testing.T) {
	h := newHarness(t, backends()[0])
	alice := h.signup(t, "alice")
	id := h.post(t, alice, "pic")
	_, body := h.do(t, "GET", "/instamern/posts/"+id, "", nil)
	photo := obj(t, body, "data", "post")["photo"].(string)
	h.fetchImage(t, photo)
	res, _ := h.request(t, "HEAD", strings.TrimPrefix(photo, h.srv.URL), "", nil, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("HEAD media: %d %v", res.StatusCode, res.Header)
	}
	for _, p := range []string{"/media/", "/media", "/media/users/nope.jpg", "/media/../etc/passwd", "/media/users%2F..%2Fx.jpg", "/media/.hidden"} {
		t.Run(p, func(t *testing.T) {
			st, body := h.do(t, "GET", p, "", nil)
			wantFail(t, st, body, 404, "")
		})
	}
	t.Run("BadRange", func(t *testing.T) {
		res, raw := h.request(t, "GET", strings.TrimPrefix(photo, h.srv.URL), "", nil, map[string]string{"Range": "bytes=999999999-"})
		if res.StatusCode != http.StatusRequestedRangeNotSatisfiable || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			!strings.Contains(string(raw), `"status":"fail"`) {
			t.Fatalf("unsatisfiable range: %d %q %s", res.StatusCode, res.Header.Get("Content-Type"), raw)
		}
		if cr := res.Header.Get("Content-Range"); !strings.HasPrefix(cr, "bytes */") {
			t.Errorf("Content-Range = %q, want the object's size", cr)
		}
	})
	path := strings.TrimPrefix(photo, h.srv.URL)
	t.Run("PreconditionFailed", func(t *testing.T) {
		res, raw := h.request(t, "GET", path, "", nil, map[string]string{"If-Match": `"other"`})
		wantFail(t, res.StatusCode, envelopeOf(t, res, raw), http.StatusPreconditionFailed, "Precondition Failed.")
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		st, body := h.do(t, "POST", path, "", nil)
		wantFail(t, st, body, http.StatusMethodNotAllowed, "The method POST is not allowed on "+path+".")
	})
}

// A media store that is down is a busy server (503), in the fail envelope.
func TestMedia_StoreDown(t *testing.T) {
	s3, err := blob.NewS3(t.Context(), blob.S3Config{Bucket: "b", Region: "us-east-1", Endpoint: "http://127.0.0.1:1",
		ForcePathStyle: true, AccessKeyID: "k", SecretAccessKey: "s", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, backends()[0], withMedia(blob.Handler(s3)))
	st, body := h.do(t, "GET", "/media/users/a.jpg", "", nil)
	wantFail(t, st, body, http.StatusServiceUnavailable, "The server is busy. Please try again later.")
}
