package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

const password = "tulip-orbit-42"

// load reads a configuration whose data lives in a temp dir.
func load(t *testing.T, env map[string]string) app.Config {
	t.Helper()
	if env["DATA_DIR"] == "" {
		env["DATA_DIR"] = t.TempDir()
	}
	cfg, err := app.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cheap hashes fast; these tests are about the wiring.
func cheap() *gram.Hasher {
	return gram.NewHasher(gram.Argon2Params{Memory: 64, Time: 1, Threads: 1}, 1)
}

// serve builds the application with mail into rec, runs its background
// work and serves it.
func serve(t *testing.T, cfg app.Config, rec *mail.Recorder) (*app.App, *httptest.Server) {
	t.Helper()
	a, err := app.New(t.Context(), cfg, app.Overrides{Transport: rec, Hasher: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	t.Cleanup(app.Start(t.Context(), a.Runners()...))
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return a, srv
}

func post(t *testing.T, srv *httptest.Server, path string, body map[string]string) *http.Response {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := srv.Client().Post(srv.URL+path, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func signup(t *testing.T, srv *httptest.Server, name string) string {
	t.Helper()
	res := post(t, srv, "/instamern/users/signup", map[string]string{"firstname": "Ada", "lastname": "Lovelace", "username": name,
		"email": name + "@example.com", "password": password, "passwordConfirm": password})
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("signup: %d %v", res.StatusCode, err)
	}
	return out.Token
}

// waitMail waits for the n-th delivered message, well within the
// sender's poll interval: only a wake-up from the service delivers it
// that soon.
func waitMail(t *testing.T, rec *mail.Recorder, n int) gram.Message {
	t.Helper()
	deadline := time.Now().Add(mail.DefaultInterval * 3 / 4)
	for time.Now().Before(deadline) {
		if sent := rec.Sent(); len(sent) >= n {
			return sent[n-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("mail %d not delivered before the sender's next poll (%d sent)", n, len(rec.Sent()))
	return gram.Message{}
}

// The service wakes the running sender: the welcome mail and the reset
// mail go out at once, and the reset mail states the lifetime the
// service gives the link.
func TestNewMailFlow(t *testing.T) {
	rec := &mail.Recorder{}
	a, srv := serve(t, load(t, map[string]string{}), rec)
	time.Sleep(100 * time.Millisecond) // the sender's first pass, on an empty outbox
	signup(t, srv, "ada")
	if m := waitMail(t, rec, 1); !strings.Contains(m.Subject, "Welcome") {
		t.Fatalf("first mail %q, want the welcome", m.Subject)
	}
	res := post(t, srv, "/instamern/users/forgot-password", map[string]string{"email": "ada@example.com"})
	res.Body.Close()
	m := waitMail(t, rec, 2)
	ttl := a.Service.Config().ResetTTL
	want := fmt.Sprintf("expires in %d minutes", int(ttl/time.Minute))
	if !strings.Contains(m.Text, want) {
		t.Fatalf("reset mail lacks %q (ResetTTL %v):\n%s", want, ttl, m.Text)
	}
}

// The token and the session it carries share JWT_EXPIRES_IN.
func TestSessionLivesAsLongAsItsToken(t *testing.T) {
	a, srv := serve(t, load(t, map[string]string{"JWT_EXPIRES_IN": "2h"}), &mail.Recorder{})
	if got := a.Service.Config().SessionTTL; got != 2*time.Hour {
		t.Errorf("SessionTTL = %v, want 2h", got)
	}
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(signup(t, srv, "ada"), &c); err != nil {
		t.Fatal(err)
	}
	if got := c.ExpiresAt.Sub(c.IssuedAt.Time); got != 2*time.Hour {
		t.Errorf("token lives %v, want 2h", got)
	}
}

// OpenService gives a service over the store alone: accounts work, and
// there is neither a handler nor background work.
func TestOpenService(t *testing.T) {
	a, err := app.OpenService(t.Context(), load(t, map[string]string{}), app.Overrides{Hasher: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Handler != nil || a.Runners() != nil || a.Blobs != nil {
		t.Fatalf("OpenService built more than the service: %+v", a)
	}
	_, err = a.Service.CreateAdmin(t.Context(), gram.SignupInput{Firstname: "Site", Lastname: "Admin", Username: "root",
		Email: "root@example.com", Password: password, PasswordConfirm: password}, "test")
	if err != nil {
		t.Fatal(err)
	}
}

// SQLITE_SYNCHRONOUS reaches the store: FULL (2) unless set to normal (1).
func TestSQLiteSynchronous(t *testing.T) {
	for setting, want := range map[string]int{"": 2, "normal": 1, "full": 2} {
		a, err := app.OpenService(t.Context(), load(t, map[string]string{"SQLITE_SYNCHRONOUS": setting}), app.Overrides{Hasher: cheap()})
		if err != nil {
			t.Fatal(err)
		}
		var got int
		err = a.Store.DB().QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&got)
		a.Close()
		if err != nil || got != want {
			t.Errorf("SQLITE_SYNCHRONOUS=%q: synchronous %d, %v; want %d", setting, got, err, want)
		}
	}
}

// New validates the configuration it is given, before opening anything.
func TestNewValidates(t *testing.T) {
	cfg := load(t, map[string]string{})
	cfg.Env = "staging"
	if _, err := app.New(t.Context(), cfg, app.Overrides{}); err == nil || !strings.Contains(err.Error(), "APP_ENV") {
		t.Fatalf("New with APP_ENV staging: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "gram.db")); !os.IsNotExist(err) {
		t.Errorf("the store was opened: %v", err)
	}
}

// Every server gets the same timeouts, and reads and writes outlast
// UPLOAD_TIMEOUT, so that a request past its deadline hears so.
func TestHTTPServer(t *testing.T) {
	a, _ := serve(t, load(t, map[string]string{}), &mail.Recorder{})
	s := a.HTTPServer(":0")
	if s.Handler != a.Handler || s.ReadHeaderTimeout == 0 || s.ReadTimeout == 0 || s.WriteTimeout == 0 || s.IdleTimeout == 0 || s.ErrorLog == nil {
		t.Fatalf("server %+v", s)
	}
	a, _ = serve(t, load(t, map[string]string{"UPLOAD_TIMEOUT": "5m"}), &mail.Recorder{})
	if s := a.HTTPServer(":0"); s.ReadTimeout <= 5*time.Minute || s.WriteTimeout <= 5*time.Minute {
		t.Errorf("UPLOAD_TIMEOUT 5m: read timeout %v, write timeout %v", s.ReadTimeout, s.WriteTimeout)
	}
}
