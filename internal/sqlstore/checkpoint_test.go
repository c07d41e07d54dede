package sqlstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckpointerCopiesTheLog specifies that a SQLite store moves its
// write-ahead log into the database file in the background: a few MB of
// writes, far below the writer's automatic threshold (10,000 pages), reach
// the database file without any further write.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "gram.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE ckpt_src (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, path)
	err = s.inTx(ctx, func(tx tx) error {
		for range 2000 {
			if _, err := tx.exec(ctx, `INSERT INTO ckpt_src (v) VALUES (?)`, strings.Repeat("x", 2000)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for fileSize(t, path) < before+2000*2000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes after 5 s (was %d): the log was not checkpointed", fileSize(t, path), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
