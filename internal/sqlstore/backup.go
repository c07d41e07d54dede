package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// IsPostgres reports whether url names a PostgreSQL database (Open's rule).
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// SQLitePath returns the file of a SQLite database URL ("sqlite:PATH",
// "file:PATH?..." or a plain path), or "" for any other URL.
func SQLitePath(url string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if IsPostgres(url) || strings.Contains(path, "://") {
		return ""
	}
	return path
}

// ErrBackupExists is returned by Backup when its destination exists.
var ErrBackupExists = errors.New("the backup file exists already; choose a new name")

// ErrNotSQLite is returned by Backup for a database that is not SQLite.
var ErrNotSQLite = errors.New("not a SQLite database")

// Backup writes a consistent copy of the SQLite database named by url into
// the new file dest, while other connections (a running server) read and
// write the database. It runs VACUUM INTO, which reads the database in one
// read transaction, a snapshot that in WAL mode blocks no writer, and
// writes a compact copy. Backup refuses an existing dest; it writes a
// temporary file beside dest and links it into place once it is complete
// and on disk, so an interrupted backup leaves nothing under dest's name.
func Backup(ctx context.Context, url, dest string) error {
	path := SQLitePath(url)
	if path == "" {
		return ErrNotSQLite
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	if _, err := os.Lstat(dest); err == nil {
		return ErrBackupExists
	}
	tmp, err := tempName(dest)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }()
	if err := vacuumInto(ctx, path, tmp); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	// A hard link, unlike a rename, fails when dest appeared meanwhile.
	if err := os.Link(tmp, dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ErrBackupExists
		}
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	return syncFile(filepath.Dir(dest))
}

// vacuumInto copies the database at path into the new file out.
func vacuumInto(ctx context.Context, path, out string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	return nil
}

// tempName returns an unused name beside dest.
func tempName(dest string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-"+hex.EncodeToString(b)), nil
}

// syncFile flushes a file or a folder (its entries) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sqlstore: backup: sync %s: %w", path, err)
	}
	return nil
}
