package app

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/instamern/gram/internal/sqlstore"
)

func init() {
	register(Group{Name: "Database", Rank: 20, Settings: []Setting{
		{Name: "DATABASE_URL", Default: "sqlite:${DATA_DIR}/gram.db",
			Meaning: "sqlite:PATH (or a plain path) or postgres://user:pass@host:5432/db?sslmode=...",
			Parse: func(c *Config, v string) (err error) {
				c.DatabaseURL = v
				_, err = DatabaseBackend(v)
				return err
			}},
		{Name: "DB_MAX_CONNS", Default: "0", DefaultDoc: "2×CPUs (SQLite readers), 4×CPUs (PostgreSQL)", Meaning: "connection pool size",
			Parse: func(c *Config, v string) (err error) { c.DBMaxConns, err = strconv.Atoi(v); return err }},
		{Name: "SQLITE_SYNCHRONOUS", Default: sqlstore.SyncFull, Parse: parseSQLiteSync,
			Meaning: "SQLite only: full syncs the write-ahead log to disk before a write is acknowledged (no acknowledged write " +
				"is lost in a power cut); normal acknowledges from the OS cache, for a higher write rate on a slow disk"},
	}})
}

// databaseSchemes are the DATABASE_URL schemes and the backend each
// selects. A value without a scheme is a SQLite path.
var databaseSchemes = map[string]string{
	"sqlite": "sqlite", "file": "sqlite",
	"postgres": "postgres", "postgresql": "postgres",
}

// plannedSchemes are backends that are known but not built in yet. The
// MongoDB backend moves its schemes to databaseSchemes (and opens them in
// openStore).
var plannedSchemes = map[string]string{"mongodb": "MongoDB", "mongodb+srv": "MongoDB"}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+$`)

// DatabaseBackend is the backend a DATABASE_URL selects: "sqlite" or
// "postgres". Its errors never repeat the URL, which may hold a password.
func DatabaseBackend(dbURL string) (string, error) {
	scheme, rest, ok := strings.Cut(dbURL, ":")
	if !ok || !schemeRE.MatchString(scheme) {
		return "sqlite", nil // a plain path
	}
	scheme = strings.ToLower(scheme)
	backend, known := databaseSchemes[scheme]
	switch {
	case plannedSchemes[scheme] != "":
		return "", fmt.Errorf("the %s backend is not part of this build of gramd", plannedSchemes[scheme])
	case !known:
		return "", fmt.Errorf("unknown scheme %q: want sqlite:PATH, a plain path, or postgres://USER:PASS@HOST:PORT/DB", scheme)
	case backend == "sqlite" && strings.TrimPrefix(rest, "//") == "":
		return "", errors.New("names no file: want sqlite:PATH, e.g. sqlite:./data/gram.db")
	case backend == "postgres":
		if u, err := url.Parse(dbURL); err != nil || !strings.HasPrefix(rest, "//") || u.Path == "" && u.Query().Get("dbname") == "" && u.Host == "" {
			return "", errors.New("is not a valid PostgreSQL URL: want postgres://USER:PASS@HOST:PORT/DB")
		}
	}
	return backend, nil
}

func parseSQLiteSync(c *Config, v string) error {
	c.SQLiteSync = strings.ToLower(v)
	if c.SQLiteSync != sqlstore.SyncFull && c.SQLiteSync != sqlstore.SyncNormal {
		return fmt.Errorf("must be %s or %s, not %q", sqlstore.SyncFull, sqlstore.SyncNormal, v)
	}
	return nil
}
