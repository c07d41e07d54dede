package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/testenv"
)

// TestE2E_ServicesEnv runs gramd the way the README tells a new user to,
// with exactly the environment `scripts/services.sh env` prints (media on
// the S3 test server in the default public delivery, mail to Mailpit),
// and loads every media URL it hands out as a browser would: a plain GET,
// no credentials.
func TestE2E_ServicesEnv(t *testing.T) {
	testenv.Need(t, "GRAM_TEST_S3")
	env := servicesEnv(t)
	g := startGramd(t, "", env...)
	// The start-up check of public media logs one line either way.
	g.waitLog(`"msg":"media: public media URLs`, 60*time.Second)
	// Its only warning is the development JWT secret's, which the
	// services' environment leaves in place.
	out := g.out.String()
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `"level":"WARN"`) && !strings.Contains(line, "JWT_SECRET is the development secret") {
			t.Fatalf("gramd warned at start:\n%s", out)
		}
	}
	if !strings.Contains(out, "load without credentials") {
		t.Fatalf("gramd did not check its public media URLs:\n%s", out)
	}

	nina := signup(t, g, "Nina", "Simone", "nina")
	p := g.upload("/instamern/posts/upload", nina.token, "post", testJPEG(t, 1080, 1350), map[string]string{"caption": "s3"}, 201).Data.Post
	st := g.upload("/instamern/stories/upload", nina.token, "story", testJPEG(t, 1080, 1920), nil, 201).Data.Story
	g.upload("/instamern/users/upload", nina.token, "photo", testJPEG(t, 400, 400), nil, 200)
	avatar := currentUser(t, g, nina.token).Photo

	bucketURL := envValue(t, env, "S3_ENDPOINT") + "/" + strings.TrimPrefix(envValue(t, env, "MEDIA_URL"), "s3://") + "/"
	for name, u := range map[string]string{"avatar": avatar, "post": p.Photo, "story": st.Photo} {
		if !strings.HasPrefix(u, bucketURL) || strings.Contains(u, "?") {
			t.Fatalf("%s photo %q, want a plain URL under %s", name, u, bucketURL)
		}
		fetchImage(t, u)
	}
	deleteAccount(t, g, nina.token, nina.password) // leaves the bucket as it was
	g.terminate()
}

// exportLine is one line of `services.sh env`; values are unquoted.
var exportLine = regexp.MustCompile(`^export ([A-Z_][A-Z0-9_]*)=([^\s'"$\\]*)$`)

// servicesEnv runs `scripts/services.sh env` and returns its settings as
// NAME=VALUE, failing on any line that is not a plain export.
func servicesEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("../../scripts/services.sh", "env").Output()
	if err != nil {
		t.Fatalf("scripts/services.sh env: %v", err)
	}
	var env []string
	for line := range strings.Lines(string(out)) {
		m := exportLine.FindStringSubmatch(strings.TrimSuffix(line, "\n"))
		if m == nil {
			t.Fatalf("scripts/services.sh env printed %q, want export NAME=VALUE", line)
		}
		env = append(env, m[1]+"="+m[2])
	}
	return env
}

// envValue is NAME's value in env, which must set it.
func envValue(t *testing.T, env []string, name string) string {
	t.Helper()
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s in %q", name, env)
	return ""
}
