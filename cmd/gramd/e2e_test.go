package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The end-to-end tests build the real gramd binary once, start it with
// zero configuration in a temp dir on a free port, and drive it over HTTP
// exactly as the React client does: JSON bodies, multipart uploads and
// "Authorization: Bearer <token>", no cookies.

var binary struct {
	once sync.Once
	dir  string // set by TestMain
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gramd-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The test binary is stamped as a release build would be.
const (
	stampVersion = "v9.8.7-e2e"
	stampCommit  = "0123456789abcdef0123456789abcdef01234567"
	stampDate    = "2026-12-03T00:00:00Z"
	stampFlags   = "-X github.com/instamern/gram/internal/buildinfo.Version=" + stampVersion +
		" -X github.com/instamern/gram/internal/buildinfo.Commit=" + stampCommit +
		" -X github.com/instamern/gram/internal/buildinfo.Date=" + stampDate
)

// gramdBinary builds ./ into a temp dir once per test binary.
func gramdBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary; skipped in -short mode")
	}
	binary.once.Do(func() {
		binary.path = filepath.Join(binary.dir, "gramd")
		out, err := exec.Command("go", "build", "-o", binary.path, "-ldflags", stampFlags, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// TestE2E walks the account and content journeys of the React client
// against the real binary on the embedded default, then stops it.
func TestE2E(t *testing.T) {
	g := startGramd(t, "")
	t.Run("Accounts", func(t *testing.T) { accountJourney(t, g) })
	if t.Failed() {
		return
	}
	t.Run("Content", func(t *testing.T) { contentJourney(t, g) })
	t.Run("SIGTERM", func(t *testing.T) { g.t = t; g.terminate() })
	if t.Failed() {
		return
	}
	t.Run("Restart", func(t *testing.T) { restartJourney(t, g.dir) })
}

// restartJourney starts a new process on the same ./data (and another
// port): accounts, sessions and posts survive, and media URLs follow the
// new PUBLIC_URL because the database stores keys, not URLs.
func restartJourney(t *testing.T, dir string) {
	g := startGramd(t, dir)
	bob := accounts.bob
	if me := currentUser(t, g, bob.token); me.ID != bob.id {
		t.Fatalf("bob's session after restart: current-user %+v", me)
	}
	login(t, g, bob.username, bob.password)
	p := feedFirst(t, g)
	if p.ID != accounts.bobPost || !strings.HasPrefix(p.Photo, g.base+"/media/") {
		t.Fatalf("feed after restart = %+v, want bob's post with a photo under %s/media/", p, g.base)
	}
	fetchImage(t, p.Photo)
	g.terminate()
}

// TestE2E_ShutdownDrainsInFlight starts an upload, sends SIGTERM while
// its handler waits for the body, and requires the upload to complete and
// the process to exit 0.
func TestE2E_ShutdownDrainsInFlight(t *testing.T) {
	g := startGramd(t, "")
	tok := g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Carol", "lastname": "Danvers",
		"username": "carol", "email": "carol@example.com", "password": "lantern-orbit-42", "passwordConfirm": "lantern-orbit-42"}, 201).Token

	upload := startInFlight(t, g, tok)
	if err := g.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	g.waitLog(`"shutting down"`, 5*time.Second)
	upload.finish(t, 10*time.Second)
	g.waitExit(10 * time.Second)
	if g.err != nil {
		t.Fatalf("gramd exited with %v, want status 0:\n%s", g.err, g.out.String())
	}
}

// TestProductionRefusesDefaultSecret: production without JWT_SECRET must
// not start, both through run() and as a process (non-zero exit status
// and a message that names the fix).
func TestProductionRefusesDefaultSecret(t *testing.T) {
	env := map[string]string{"APP_ENV": "production", "PORT": "0", "DATA_DIR": t.TempDir()}
	var out bytes.Buffer
	err := run(context.Background(), []string{"gramd"}, func(k string) string { return env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET") {
		t.Fatalf("run() = %v, want an error naming JWT_SECRET", err)
	}

	cmd := exec.Command(gramdBinary(t))
	cmd.Dir = t.TempDir()
	cmd.Env = minimalEnv("APP_ENV=production", "PORT="+freePort(t))
	b, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("gramd in production without JWT_SECRET: %v, want a non-zero exit; output:\n%s", err, b)
	}
	if !strings.Contains(string(b), "JWT_SECRET") {
		t.Fatalf("output does not name JWT_SECRET:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(cmd.Dir, "data")); err == nil {
		t.Errorf("gramd created %s/data before refusing to start", cmd.Dir)
	}
}
