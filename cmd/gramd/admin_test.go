package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/testenv"
)

const cliPassword = "quiet-harbor-lantern-42"

// runIn calls run() with DATA_DIR=dir and the given arguments after "gramd".
func runIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	return runEnv(t, map[string]string{"DATA_DIR": dir}, args...)
}

// runEnv calls run() in the environment env.
func runEnv(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"gramd"}, args...), func(k string) string { return env[k] }, &out)
	return out.String(), err
}

// writeFile writes content to a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// openData opens the store the commands wrote to.
func openData(t *testing.T, dir string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(t.Context(), "sqlite:"+filepath.Join(dir, "gram.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestAdminCLI(t *testing.T) {
	dir := t.TempDir()
	pw := writeFile(t, t.TempDir(), "pw", cliPassword+"\n")

	t.Run("Create", func(t *testing.T) {
		out, err := runIn(t, dir, "admin", "create", "-username", "Root", "-email", "root@example.com", "-password-file", pw)
		if err != nil || !strings.Contains(out, "created admin root") {
			t.Fatalf("create: %q, %v", out, err)
		}
		s := openData(t, dir)
		u, err := s.UserByUsername(t.Context(), "root")
		if err != nil || u.Role != gram.RoleAdmin || !u.Active || u.Email != "root@example.com" {
			t.Fatalf("created user %+v, %v", u, err)
		}
		es, err := s.AuditEntries(t.Context(), gram.Page{Limit: 10})
		if err != nil || len(es) != 1 || es[0].ActorID != "cli" || es[0].Action != gram.AuditRole || es[0].TargetID != u.ID {
			t.Errorf("audit log %+v, %v", es, err)
		}
	})
	t.Run("Promote", func(t *testing.T) {
		out, err := runIn(t, dir, "admin", "promote", "root", "-role", "moderator", "-reason", "stepping back")
		if err != nil || !strings.Contains(out, "root is now moderator") {
			t.Fatalf("promote: %q, %v", out, err)
		}
		out, err = runIn(t, dir, "admin", "promote", "-reason", "back again", "root") // flags first, default role
		if err != nil || !strings.Contains(out, "root is now admin") {
			t.Fatalf("promote: %q, %v", out, err)
		}
		es, _ := openData(t, dir).AuditEntries(t.Context(), gram.Page{Limit: 10})
		if len(es) != 3 || es[0].Reason != "back again" || es[0].Detail != "moderator -> admin" || es[1].Reason != "stepping back" {
			t.Errorf("audit log after promotions: %+v", es)
		}
	})
	t.Run("PasswordFromStdin", func(t *testing.T) {
		var out bytes.Buffer
		err := runAdmin(t.Context(), func(k string) string { return map[string]string{"DATA_DIR": dir}[k] }, []string{"create", "-username", "second", "-email", "second@example.com"},
			strings.NewReader(cliPassword+"\r\nignored"), &out)
		if err != nil {
			t.Fatalf("create from stdin: %v", err)
		}
		u, _ := openData(t, dir).UserByUsername(t.Context(), "second")
		ok, _, err := gram.NewHasher(gram.OWASPArgon2, 0).Verify(t.Context(), u.PasswordHash, cliPassword)
		if !ok || err != nil {
			t.Errorf("the stdin password does not log in: %v", err)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"Duplicate", []string{"admin", "create", "-username", "root", "-email", "other@example.com", "-password-file", pw}, "This user already exists."},
		{"SignupRules", []string{"admin", "create", "-username", "x", "-email", "bad", "-password-file", pw}, "@username cannot be shorter than 3 characters. Invalid email address."},
		{"WeakPassword", []string{"admin", "create", "-username", "third", "-email", "t@example.com", "-password-file", writeFile(t, dir, "short", "short\n")}, "Password cannot be shorter than 8 characters."},
		{"NoPasswordFlag", []string{"admin", "create", "-username", "third", "-email", "t@example.com", "-password", cliPassword}, "flag provided but not defined: -password"},
		{"MissingPasswordFile", []string{"admin", "create", "-username", "third", "-email", "t@example.com", "-password-file", filepath.Join(dir, "nope")}, "read password"},
		{"BadRole", []string{"admin", "promote", "root", "-role", "root"}, "The role must be user, moderator or admin."},
		{"UnknownUser", []string{"admin", "promote", "nobody"}, "User not found."},
		{"TwoUsers", []string{"admin", "promote", "root", "second"}, "name exactly one user"},
		{"NoSubcommand", []string{"admin"}, "usage:"},
		{"UnknownSubcommand", []string{"admin", "delete"}, `unknown admin command "delete"`},
		{"UnknownCommand", []string{"serve-please"}, `unknown command "serve-please"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runIn(t, dir, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// The commands use DATABASE_URL as the server does: here a PostgreSQL
// schema of this test's own (GRAM_TEST_POSTGRES; skipped without it).
func TestAdminCLIPostgres(t *testing.T) {
	base := testenv.Need(t, "GRAM_TEST_POSTGRES")
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := "gramclitest_" + strings.ToLower(gram.NewID(time.Now()))
	if _, err := db.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer db.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	env := map[string]string{"DATA_DIR": t.TempDir(), "DATABASE_URL": u.String()}
	pw := writeFile(t, t.TempDir(), "pw", cliPassword)
	if _, err := runEnv(t, env, "admin", "create", "-username", "root", "-email", "root@example.com", "-password-file", pw); err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := runEnv(t, env, "admin", "promote", "root", "-role", "moderator"); err != nil {
		t.Fatalf("promote: %v", err)
	}
	var role string
	if err := db.QueryRowContext(t.Context(), "SELECT role FROM "+schema+".users WHERE username = 'root'").Scan(&role); err != nil || role != gram.RoleModerator {
		t.Errorf("role in PostgreSQL = %q, %v; want moderator", role, err)
	}
}
