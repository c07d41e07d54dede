package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/instamern/gram/internal/sqlstore"
)

func init() {
	register(Group{Name: "Database", Rank: 20, Settings: []Setting{
		{Name: "DATABASE_URL", Default: "sqlite:${DATA_DIR}/gram.db",
			Meaning: "sqlite:PATH (or a plain path) or postgres://user:pass@host:5432/db?sslmode=...",
			Parse:   func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
		{Name: "DB_MAX_CONNS", Default: "0", DefaultDoc: "2×CPUs (SQLite readers), 4×CPUs (PostgreSQL)", Meaning: "connection pool size",
			Parse: func(c *Config, v string) (err error) { c.DBMaxConns, err = strconv.Atoi(v); return err }},
		{Name: "SQLITE_SYNCHRONOUS", Default: sqlstore.SyncFull, Parse: parseSQLiteSync,
			Meaning: "SQLite only: full syncs the write-ahead log to disk before a write is acknowledged (no acknowledged write " +
				"is lost in a power cut); normal acknowledges from the OS cache, for a higher write rate on a slow disk"},
	}})
}

func parseSQLiteSync(c *Config, v string) error {
	c.SQLiteSync = strings.ToLower(v)
	if c.SQLiteSync != sqlstore.SyncFull && c.SQLiteSync != sqlstore.SyncNormal {
		return fmt.Errorf("must be %s or %s, not %q", sqlstore.SyncFull, sqlstore.SyncNormal, v)
	}
	return nil
}
