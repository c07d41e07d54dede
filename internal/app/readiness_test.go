package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/testenv"
)

// TestReadyzDependencies builds the server as gramd does on the real
// test services, each behind a proxy the test takes down: S3 (the media
// store, required), Redis and SMTP (reported, not required).
func TestReadyzDependencies(t *testing.T) {
	testenv.Need(t, "GRAM_TEST_S3", "GRAM_TEST_SMTP")
	redisURL, err := url.Parse(testenv.Need(t, "GRAM_TEST_REDIS"))
	if err != nil {
		t.Fatal(err)
	}
	s3URL, err := url.Parse(os.Getenv("S3_ENDPOINT"))
	if err != nil {
		t.Fatal(err)
	}
	// Mailpit's SMTP port (scripts/services.sh).
	s3, redis, smtp := testenv.NewProxy(t, s3URL.Host), testenv.NewProxy(t, redisURL.Host), testenv.NewProxy(t, "127.0.0.1:1025")
	redisURL.Host = redis.Addr()
	cfg := load(t, map[string]string{
		"MEDIA_URL": "s3://" + os.Getenv("GRAM_TEST_S3_BUCKET") + "/readyz", "S3_ENDPOINT": "http://" + s3.Addr(),
		"S3_FORCE_PATH_STYLE": "true", "S3_REGION": "us-east-1", "MEDIA_DELIVERY": "presign",
		"REDIS_URL": redisURL.String(), "MAIL_URL": "smtp://" + smtp.Addr() + "?tls=none",
	})
	// Mail is checked in the background, at the start and then every
	// 30 s (5 s after a failure): down from the start, then up.
	smtp.Down()
	a, err := app.New(t.Context(), cfg, app.Overrides{Hasher: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	t.Cleanup(app.Start(t.Context(), a.Runners()...))
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	waitMailEntry(t, srv.URL, func(c checkEntry) bool { return !c.OK && c.Error != "not checked yet" })
	smtp.Up()
	waitMailEntry(t, srv.URL, func(c checkEntry) bool { return c.OK })

	steps := []struct {
		name       string
		down       *testenv.Proxy
		wantStatus int
		failing    string // the entry that fails, "" for none
	}{
		{"AllUp", nil, 200, ""},
		{"MediaDown", s3, 503, "media"},
		{"RedisDown", redis, 200, "redis"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			if step.down != nil {
				step.down.Down()
				defer step.down.Up()
			}
			status, checks := readyz(t, srv.URL)
			if status != step.wantStatus {
				t.Errorf("/readyz = %d, want %d", status, step.wantStatus)
			}
			for _, name := range []string{"database", "media", "redis", "mail"} {
				c, found := checks[name]
				switch {
				case !found:
					t.Errorf("no %s entry in %v", name, checks)
				case name == step.failing && (c.OK || c.Error == ""):
					t.Errorf("%s entry %+v, want failed with a reason", name, c)
				case name == step.failing:
					t.Logf("%s: %q after %vms", name, c.Error, c.DurationMS)
				case name != step.failing && !c.OK:
					t.Errorf("%s entry %+v, want ok", name, c)
				}
			}
		})
	}
}

type checkEntry struct {
	Name       string  `json:"name"`
	OK         bool    `json:"ok"`
	Required   bool    `json:"required"`
	DurationMS float64 `json:"durationMs"`
	Error      string  `json:"error"`
}

// readyz GETs /readyz and returns its status and entries by name.
func readyz(t *testing.T, base string) (int, map[string]checkEntry) {
	t.Helper()
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data struct {
			Checks []checkEntry `json:"checks"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	byName := map[string]checkEntry{}
	for _, c := range body.Data.Checks {
		byName[c.Name] = c
	}
	return res.StatusCode, byName
}

// waitMailEntry polls /readyz for up to 10 s until its mail entry is as
// want says.
func waitMailEntry(t *testing.T, base string, want func(checkEntry) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, checks := readyz(t, base)
		if want(checks["mail"]) {
			if status != http.StatusOK {
				t.Errorf("/readyz = %d with mail %+v; mail is not required", status, checks["mail"])
			}
			t.Logf("mail: %+v", checks["mail"])
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail entry still %+v after 10 s", checks["mail"])
		}
		time.Sleep(100 * time.Millisecond)
	}
}
