package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/app"
)

// gramdExit runs "gramd ARGS" in dir with env (and PATH, HOME) and
// returns its combined output and exit status.
func gramdExit(t *testing.T, dir string, env []string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a server that starts by mistake
	defer cancel()
	cmd := exec.CommandContext(ctx, gramdBinary(t), args...)
	cmd.Dir, cmd.Env = dir, minimalEnv(env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("gramd %s: %v", strings.Join(args, " "), err)
	}
	return string(out), 0
}

// TestE2E_CommandLine: help, version, usage errors and a refused
// configuration answer with the documented exit status, and create
// nothing (no database, no media folder).
func TestE2E_CommandLine(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      []string
		wantCode int
		want     []string // in the output
	}{
		{name: "Help", args: []string{"help"}, want: []string{"gramd config check", "gramd admin", "Environment:"}},
		{name: "DashH", args: []string{"-h"}, want: []string{"Environment:"}},
		{name: "DashDashHelp", args: []string{"--help"}, want: []string{"Environment:"}},
		{name: "HelpWithBrokenConfig", args: []string{"-h"}, env: []string{"DATABASE_URL=mysql://root@127.0.0.1/x"}, want: []string{"Environment:"}},
		{name: "ServeHelp", args: []string{"serve", "-h"}, want: []string{"Environment:"}},
		{name: "Version", args: []string{"version"}, want: []string{"gramd " + stampVersion, "commit " + stampCommit, "built " + stampDate}},
		{name: "AdminHelp", args: []string{"admin", "-h"}, want: []string{"gramd admin create", "gramd admin promote"}},
		{name: "AdminCreateHelp", args: []string{"admin", "create", "-h"}, want: []string{"gramd admin create"}},
		{name: "AdminPromoteHelp", args: []string{"admin", "promote", "--help"}, want: []string{"gramd admin promote"}},
		{name: "ConfigHelp", args: []string{"config", "-h"}, want: []string{"gramd config check"}},
		{name: "UnknownCommand", args: []string{"frobnicate"}, wantCode: 2, want: []string{`gramd: unknown command "frobnicate"`}},
		{name: "ServeArgument", args: []string{"serve", "now"}, wantCode: 2, want: []string{"takes no arguments"}},
		{name: "AdminNoSubcommand", args: []string{"admin"}, wantCode: 2, want: []string{"usage:"}},
		{name: "AdminUnknownFlag", args: []string{"admin", "create", "-nope"}, wantCode: 2, want: []string{"flag provided but not defined: -nope"}},
		{name: "AdminUnknownSubcommand", args: []string{"admin", "delete"}, wantCode: 2, want: []string{`unknown admin command "delete"`}},
		{name: "ConfigNoSubcommand", args: []string{"config"}, wantCode: 2, want: []string{"needs a subcommand"}},
		{name: "BackupHelp", args: []string{"backup", "-h"}, want: []string{"gramd backup -to FILE", "-wal"}},
		{name: "BackupNoTo", args: []string{"backup"}, wantCode: 2, want: []string{"backup needs -to"}},
		{name: "BackupPostgres", args: []string{"backup", "-to", "x.db"}, env: []string{"DATABASE_URL=postgres://gram@127.0.0.1:1/gram"},
			wantCode: 1, want: []string{"pg_dump --format=custom", "pg_restore"}},
		{name: "BackupMissingDatabase", args: []string{"backup", "-to", "x.db"}, wantCode: 1, want: []string{"no such file"}},
		{name: "CopyDBHelp", args: []string{"help", "copy-db"}, want: []string{"gramd copy-db [-from URL] -to URL", "-resume"}},
		{name: "CopyDBNoTo", args: []string{"copy-db"}, wantCode: 2, want: []string{"copy-db needs -to"}},
		{name: "CopyDBBadBatch", args: []string{"copy-db", "-to", "sqlite:x.db", "-batch", "0"}, wantCode: 2, want: []string{"-batch must be"}},
		{name: "CopyDBMissingSource", args: []string{"copy-db", "-to", "sqlite:x.db"}, wantCode: 1, want: []string{"the source database", "no such file"}},
		{name: "ConfigCheck", args: []string{"config", "check"}, want: []string{"DATABASE_URL", "configuration ok"}},
		{name: "ServeMySQL", env: []string{"DATABASE_URL=mysql://root@127.0.0.1/x"}, wantCode: 1,
			want: []string{`gramd: config: DATABASE_URL: unknown scheme "mysql"`}},
		{name: "ServeS3OneSlash", env: []string{"MEDIA_URL=s3:/bucket"}, wantCode: 1,
			want: []string{`gramd: config: MEDIA_URL: "s3:/bucket" is malformed`}},
		{name: "ServeProductionOnLocalhost", env: []string{"APP_ENV=production", "JWT_SECRET=" + strings.Repeat("k", 40),
			"MAIL_URL=smtp://127.0.0.1:1025"}, wantCode: 1,
			want: []string{"gramd: config: PUBLIC_URL is http://localhost:8080, so media links will not load outside this machine: " +
				"production refuses this unless ALLOW_UNSAFE_PRODUCTION=true"}},
		{name: "ConfigCheckRefused", args: []string{"config", "check"}, env: []string{"APP_ENV=staging"}, wantCode: 1,
			want: []string{`gramd: config: APP_ENV: must be development or production, not "staging"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out, code := gramdExit(t, dir, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d; output:\n%s", code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("gramd %s created %s in its working directory", strings.Join(tt.args, " "), entries[0].Name())
			}
		})
	}
}

// TestE2E_HelpListsEverySetting: gramd -h prints every setting of the
// table the loader reads, with its default.
func TestE2E_HelpListsEverySetting(t *testing.T) {
	out, code := gramdExit(t, t.TempDir(), nil, "-h")
	if code != 0 {
		t.Fatalf("gramd -h: exit status %d", code)
	}
	n := 0
	for _, g := range app.Groups() {
		for _, s := range g.Settings {
			n++
			if line := s.Name + " (default: " + app.DefaultText(s) + ")"; !strings.Contains(out, line) {
				t.Errorf("gramd -h lacks %q", line)
			}
		}
	}
	if n < 50 {
		t.Errorf("the table has %d settings; the loader reads more than 50", n)
	}
}

// TestE2E_ConfigCheckMasksSecrets: gramd config check shows where each
// setting came from but never a secret's value.
func TestE2E_ConfigCheckMasksSecrets(t *testing.T) {
	secrets := map[string]string{
		"JWT_SECRET":            "jwt-Zq9-secret-value",
		"JWT_SECRETS_OLD":       "old-Zq9-secret-value",
		"DATABASE_URL":          "postgres://gram:db-Zq9-password@127.0.0.1:1/gram?sslmode=disable",
		"MAIL_URL":              "smtp://mailer:smtp-Zq9-password@127.0.0.1:1025",
		"REDIS_URL":             "redis://:redis-Zq9-password@127.0.0.1:6379/0",
		"AWS_SECRET_ACCESS_KEY": "aws-Zq9-secret-key",
		"AWS_ACCESS_KEY_ID":     "AKIAZQ9EXAMPLEKEYID",
		"MEDIA_PUBLIC_URL":      "https://cdn.example.com/media?token=cdn-Zq9-token",
	}
	var env []string
	for k, v := range secrets {
		env = append(env, k+"="+v)
	}
	out, code := gramdExit(t, t.TempDir(), env, "config", "check")
	if code != 0 {
		t.Fatalf("config check: exit status %d:\n%s", code, out)
	}
	for _, word := range []string{"jwt-Zq9", "old-Zq9", "db-Zq9", "smtp-Zq9", "redis-Zq9", "aws-Zq9", "AKIAZQ9", "cdn-Zq9"} {
		if strings.Contains(out, word) {
			t.Errorf("config check shows a secret (%s):\n%s", word, out)
		}
	}
	for _, want := range []string{"postgres://gram:", "@127.0.0.1:1/gram", "smtp://mailer:", "[env]", "JWT_EXPIRES_IN", "90d  [default]"} {
		if !strings.Contains(out, want) {
			t.Errorf("config check lacks %q:\n%s", want, out)
		}
	}
}

// TestE2E_StartupLine: at start gramd logs, once, its version and what it
// runs on (no secret), warns of the development JWT secret, listens where
// LISTEN_ADDR says, and /healthz shows the version.
func TestE2E_StartupLine(t *testing.T) {
	g := startGramd(t, "", "LISTEN_ADDR=127.0.0.1:$PORT")
	if r := g.call("GET", "/healthz", "", nil, 200); !strings.Contains(r.Raw, `"data":{"version":"`+stampVersion+`"}`) {
		t.Errorf("/healthz = %s, want the version in data", r.Raw)
	}
	g.terminate()
	records := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(g.out.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if msg, _ := rec["msg"].(string); records[msg] == nil {
			records[msg] = rec
		}
	}
	start := records["gramd starting"]
	want := map[string]any{"level": "INFO", "version": stampVersion, "env": "development", "database": "sqlite", "media": "disk",
		"media_delivery": "proxy", "mail": "log", "client_url": "https://instamern.netlify.app", "public_url": g.base, "redis": false}
	for k, v := range want {
		if start[k] != v {
			t.Errorf("startup line %s = %v, want %v (line %v)", k, start[k], v, start)
		}
	}
	if addr, _ := records["listening"]["addr"].(string); !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("listening on %q, want 127.0.0.1 only (LISTEN_ADDR)", addr)
	}
	warn := records["config: JWT_SECRET is the development secret: anyone can forge sessions; set JWT_SECRET before this server is reachable"]
	if warn["level"] != "WARN" {
		t.Errorf("no warning of the development JWT secret:\n%s", g.out.String())
	}
}
