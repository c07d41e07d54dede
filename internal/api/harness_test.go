package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/clocktest"
	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/openapi/openapitest"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/sqlstore"
)

const (
	testOrigin   = "https://instamern.netlify.app"
	testSecret   = "test-secret-0123456789abcdef0123456789"
	testPassword = "tulip-orbit-42"
)

// backend opens a fresh, empty store for one test.
type backend struct {
	name string
	open func(tb testing.TB) *sqlstore.Store
}

// backends lists the stores the scenarios run on: SQLite, and PostgreSQL
// (GRAM_TEST_POSTGRES; skipped without it, a failure under
// GRAM_TEST_REQUIRE=1).
func backends() []backend {
	return []backend{{"sqlite", openSQLite}, {"postgres", openPostgres}}
}

// eachBackend runs fn once per backend, as a named subtest. Every
// scenario has a stack of its own, so they all run in parallel.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	t.Parallel()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

func openSQLite(tb testing.TB) *sqlstore.Store { return dbtest.SQLite(tb) }

// openPostgres isolates a test in a schema of its own.
func openPostgres(tb testing.TB) *sqlstore.Store { return dbtest.Postgres(tb) }

// harness is the real stack served over HTTP.
type harness struct {
	srv    *httptest.Server
	svc    *gram.Service
	store  *sqlstore.Store
	blobs  *blob.Mem
	clock  *clocktest.Clock // the service's clock
	hasher *gram.Hasher
}

// setup is what options adjust before a harness is built.
type setup struct {
	api     []func(*api.Config)
	domains gram.DomainChecker
	images  gram.ImageProcessor
}

// adjust applies the API options in order.
func (s setup) adjust(c *api.Config) {
	for _, f := range s.api {
		f(c)
	}
}

// option adjusts the stack a harness builds.
type option func(*setup)

// withAPI adjusts the API configuration.
func withAPI(f func(*api.Config)) option { return func(s *setup) { s.api = append(s.api, f) } }

// withAuthLimit gives each auth action (signup, login, password reset,
// account changes) a budget of n an hour.
func withAuthLimit(n int) option {
	return withAPI(func(c *api.Config) {
		r := ratelimit.Rule{Limit: n, Window: time.Hour}
		c.SignupLimit, c.LoginLimit, c.ResetLimit, c.AccountLimit = r, r, r, r
	})
}

func withMaxUpload(n int64) option { return withAPI(func(c *api.Config) { c.MaxUpload = n }) }

func withMedia(h func(http.ResponseWriter, *http.Request) error) option {
	return withAPI(func(c *api.Config) { c.Media = h })
}

// withImages replaces the image pipeline.
func withImages(p gram.ImageProcessor) option { return func(s *setup) { s.images = p } }

// withDomains sets the service's mail domain check.
func withDomains(d gram.DomainChecker) option { return func(s *setup) { s.domains = d } }

// cheapHasher hashes with parameters fit for tests, not for passwords.
func cheapHasher() *gram.Hasher {
	return gram.NewHasher(gram.Argon2Params{Memory: 1024, Time: 1, Threads: 1}, 0)
}

// testEnv is the environment of every test server: the test client URL
// and secret, auth and write limits too high to reach, the others off.
var testEnv = map[string]string{"CLIENT_URL": testOrigin, "JWT_SECRET": testSecret,
	"RATE_LIMIT_AUTH": "100000/1h", "RATE_LIMIT_WRITE": "100000/1h", "RATE_LIMIT_READ": "off",
	"RATE_LIMIT_LOGIN_FAILURES": "off", "RATE_LIMIT_RESET_MAIL": "off"}

// newApp builds the application as gramd does, from testEnv with env over
// it and from ov, allowing testOrigin alone, and closes it when the test
// ends. Unless ov says otherwise it hashes cheaply and sends no mail: tests
// deliver the outbox themselves (flushMail).
func newApp(t testing.TB, env map[string]string, ov app.Overrides) *app.App {
	t.Helper()
	cfg, err := app.Load(func(k string) string {
		if v, set := env[k]; set {
			return v
		}
		return testEnv[k]
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	cfg.CORSOrigins = []string{testOrigin}
	if ov.Transport == nil {
		ov.Transport = &mail.Recorder{}
	}
	if ov.Hasher == nil {
		ov.Hasher = cheapHasher()
	}
	a, err := app.New(t.Context(), cfg, ov)
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// newHarness builds the application on a fresh store, in-memory blobs and
// a fake clock, and serves the API on an httptest server.
func newHarness(t testing.TB, b backend, opts ...option) *harness {
	t.Helper()
	var set setup
	for _, o := range opts {
		o(&set)
	}
	h := &harness{store: b.open(t), blobs: blob.NewMem(""), hasher: cheapHasher(),
		clock: clocktest.New(time.Now().UTC().Truncate(time.Millisecond))}
	h.start(t, nil, nil, set)
	h.blobs.PublicBase = h.srv.URL
	return h
}

// start builds the application around h's store, blobs, clock and hasher,
// with env over testEnv and the limiter (nil: in process), and serves it
// on a new httptest server.
func (h *harness) start(t testing.TB, env map[string]string, limiter ratelimit.Limiter, set setup) {
	t.Helper()
	a := newApp(t, env, app.Overrides{Store: h.store, Blobs: h.blobs, Clock: h.clock.Now, Hasher: h.hasher,
		Limiter: limiter, Domains: set.domains, Images: set.images, API: set.adjust})
	h.svc = a.Service
	h.srv = httptest.NewServer(a.Handler)
	t.Cleanup(h.srv.Close)
	// Every response of the shared client is checked against the OpenAPI
	// description; a mismatch fails the request.
	c := h.srv.Client()
	c.Transport = openapitest.ForAPI(t).Transport(c.Transport)
}

// user is a signed-up test user.
type user struct {
	ID, Username, Email, Token string
}

// signup creates username (email username@example.com) and returns its token and id.
func (h *harness) signup(t *testing.T, username string) user {
	t.Helper()
	email := username + "@example.com"
	st, body := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
		"firstname": "Test", "lastname": "User", "username": username, "email": email,
		"password": testPassword, "passwordConfirm": testPassword,
	})
	if st != http.StatusCreated {
		t.Fatalf("signup %s: %d %v", username, st, body)
	}
	tok, _ := body["token"].(string)
	u := obj(t, body, "data", "user")
	return user{ID: u["_id"].(string), Username: username, Email: email, Token: tok}
}

// login logs username in and returns the token.
func (h *harness) login(t *testing.T, username, password string) string {
	t.Helper()
	st, body := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": username, "password": password})
	if st != http.StatusOK {
		t.Fatalf("login %s: %d %v", username, st, body)
	}
	return body["token"].(string)
}

// request sends a request and returns the response with its body read.
// body may be nil, a string or []byte (sent as is), or a value to encode
// as JSON.
func (h *harness) request(t *testing.T, method, path, token string, body any, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch v := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(v), "application/json"
	case []byte:
		rd, ctype = bytes.NewReader(v), "application/json"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(t.Context(), method, h.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return h.send(t, req)
}

func (h *harness) send(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return res, raw
}

// do sends a JSON request and decodes the JSON envelope. Every API
// response must be a JSON object whose status is a string.
func (h *harness) do(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	res, raw := h.request(t, method, path, token, body, nil)
	return res.StatusCode, envelopeOf(t, res, raw)
}

// envelopeOf decodes a response as the contract's envelope.
func envelopeOf(t *testing.T, res *http.Response, raw []byte) map[string]any {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, body %q", res.Request.Method, res.Request.URL.Path, ct, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v: %q", res.Request.Method, res.Request.URL.Path, err, raw)
	}
	st, isString := m["status"].(string)
	if !isString || (st != "success" && st != "fail" && st != "error") {
		t.Fatalf("%s %s: status %#v is not success/fail/error", res.Request.Method, res.Request.URL.Path, m["status"])
	}
	return m
}

// upload posts a multipart form with one file and text fields.
func (h *harness) upload(t *testing.T, path, token, field, filename string, data []byte, fields map[string]string) (int, map[string]any) {
	t.Helper()
	res, raw := h.send(t, h.uploadRequest(t, t.Context(), path, token, field, filename, data, fields))
	return res.StatusCode, envelopeOf(t, res, raw)
}

// uploadRequest builds the request upload sends, with ctx.
func (h *harness) uploadRequest(t testing.TB, ctx context.Context, path, token, field, filename string, data []byte, fields map[string]string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if field != "" {
		fw, err := mw.CreateFormFile(field, filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, "POST", h.srv.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// post uploads a post with caption and returns its id.
func (h *harness) post(t *testing.T, u user, caption string) string {
	t.Helper()
	st, body := h.upload(t, "/instamern/posts/upload", u.Token, "post", "p.jpg", jpegImage(t, 64, 80), map[string]string{"caption": caption})
	if st != http.StatusCreated {
		t.Fatalf("upload post: %d %v", st, body)
	}
	return obj(t, body, "data", "post")["_id"].(string)
}

// jpegImage encodes a w×h gradient as JPEG.
func jpegImage(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, gradient(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngImage encodes a w×h gradient as PNG.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return m
}

// obj walks nested objects of a decoded body by key.
func obj(t *testing.T, m map[string]any, path ...string) map[string]any {
	t.Helper()
	cur := m
	for _, k := range path {
		next, isObj := cur[k].(map[string]any)
		if !isObj {
			t.Fatalf("%s is not an object in %v", strings.Join(path, "."), m)
		}
		cur = next
	}
	return cur
}

// list returns m[path...] as an array.
func list(t *testing.T, m map[string]any, path ...string) []any {
	t.Helper()
	parent := obj(t, m, path[:len(path)-1]...)
	l, isList := parent[path[len(path)-1]].([]any)
	if !isList {
		t.Fatalf("%s is not an array in %v", strings.Join(path, "."), m)
	}
	return l
}

// strs converts a JSON array of strings.
func strs(t *testing.T, l []any) []string {
	t.Helper()
	out := make([]string, len(l))
	for i, v := range l {
		s, isString := v.(string)
		if !isString {
			t.Fatalf("item %d of %v is not a string", i, l)
		}
		out[i] = s
	}
	return out
}

// wantFail checks a fail envelope with the status and, if msg is not
// empty, the message.
func wantFail(t *testing.T, st int, body map[string]any, wantStatus int, msg string) {
	t.Helper()
	if st != wantStatus || body["status"] != "fail" {
		t.Fatalf("got %d %v, want %d fail", st, body, wantStatus)
	}
	if m, _ := body["message"].(string); m == "" || (msg != "" && m != msg) {
		t.Fatalf("message %q, want %q", body["message"], msg)
	}
}

// wantSuccess checks a success envelope with the status.
func wantSuccess(t *testing.T, st int, body map[string]any, wantStatus int) {
	t.Helper()
	if st != wantStatus || body["status"] != "success" {
		t.Fatalf("got %d %v, want %d success", st, body, wantStatus)
	}
}

// mustHave fails unless every key is present in m.
func mustHave(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, found := m[k]; !found {
			t.Errorf("missing %q in %v", k, m)
		}
	}
}

// mustLack fails if any key is present in m.
func mustLack(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, found := m[k]; found {
			t.Errorf("unexpected %q in %v", k, m)
		}
	}
}

// flushMail delivers the outbox into a Recorder and returns what was sent.
func (h *harness) flushMail(t *testing.T) []gram.Message {
	t.Helper()
	h.svc.Wait() // forgot-password queues its mail off the request path
	rec := &mail.Recorder{}
	sender := &mail.Sender{Store: h.store, Transport: rec, Now: h.clock.Now, BatchSize: 100, Log: slog.New(slog.DiscardHandler)}
	for {
		n, err := sender.Flush(context.Background())
		if err != nil {
			t.Fatalf("flush mail: %v", err)
		}
		if n == 0 {
			return rec.Sent()
		}
	}
}

// signToken signs an HS256 token with the id and sid claims.
func signToken(t *testing.T, secret, userID, sid string, exp time.Time) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"id": userID, "sid": sid, "iat": exp.Add(-time.Hour).Unix(), "exp": exp.Unix(),
	}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// expiredToken is u's token re-signed with the real secret and session
// but an expiry in the past.
func (h *harness) expiredToken(t *testing.T, u user) string {
	t.Helper()
	return signToken(t, testSecret, u.ID, claimsOf(t, u.Token)["sid"].(string), time.Now().Add(-time.Hour))
}

// claimsOf returns a token's claims, unverified.
func claimsOf(t *testing.T, tok string) jwt.MapClaims {
	t.Helper()
	var c jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// noneToken is an unsigned "alg: none" token for userID.
func noneToken(userID string) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	body := enc.EncodeToString(fmt.Appendf(nil, `{"id":%q,"sid":"x","exp":%d}`, userID, time.Now().Add(time.Hour).Unix()))
	return head + "." + body + "."
}
