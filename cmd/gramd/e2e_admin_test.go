package main

import (
	"os/exec"
	"strings"
	"testing"
)

// gramdCLI runs "gramd ARGS" in dir with the zero-configuration
// environment, feeding stdin, and fails the test unless it succeeds.
func gramdCLI(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(gramdBinary(t), args...)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, minimalEnv(), strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gramd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestE2E_AdminCLI: the first admin comes from the command line, on the
// server's data dir; it logs in over HTTP and uses the staff API. A
// promotion by the CLI while the server runs ends the user's sessions.
func TestE2E_AdminCLI(t *testing.T) {
	dir := t.TempDir()
	out := gramdCLI(t, dir, "quiet-harbor-lantern-42\n", "admin", "create", "-username", "boss", "-email", "boss@example.com")
	if !strings.Contains(out, "created admin boss") {
		t.Fatalf("admin create said %q", out)
	}
	g := startGramd(t, dir)
	boss := login(t, g, "boss", "quiet-harbor-lantern-42")
	if u := currentUser(t, g, boss); u.Username != "boss" {
		t.Fatalf("logged in as %q", u.Username)
	}
	carol := signup(t, g, "Carol", "Danvers", "carol")

	r := g.call("GET", "/instamern/admin/users?q=carol", boss, nil, 200)
	if len(r.Data.Users) != 1 || r.Data.Users[0].ID != carol.id {
		t.Fatalf("staff list: %s", r.Raw)
	}
	g.call("POST", "/instamern/admin/users/"+carol.id+"/suspend", boss, map[string]string{"reason": "e2e"}, 200)
	r = g.call("POST", "/instamern/users/login", "", map[string]string{"username": "carol", "password": carol.password}, 403)
	wantMessage(t, r, "Your account has been suspended. Please contact support.")
	g.call("POST", "/instamern/admin/users/"+carol.id+"/unsuspend", boss, map[string]string{"reason": "e2e"}, 200)
	carol.token = login(t, g, "carol", carol.password)

	gramdCLI(t, dir, "", "admin", "promote", "carol", "-role", "moderator")
	g.call("GET", "/instamern/users/authorization/current-user", carol.token, nil, 401)
	carol.token = login(t, g, "carol", carol.password)
	g.call("GET", "/instamern/admin/users", carol.token, nil, 200)
	g.call("GET", "/instamern/admin/audit", carol.token, nil, 403)
	if r := g.call("GET", "/instamern/admin/audit", boss, nil, 200); !strings.Contains(r.Raw, `"actor":"cli"`) {
		t.Errorf("audit log lacks the CLI's entries: %s", r.Raw)
	}
}
