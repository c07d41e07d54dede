package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/storetest"
)

// TestBackup copies a SQLite store while a writer adds posts to it: the
// backup opens as a store, holds every post written before it started
// and a consistent prefix of the rest (counters match), and a second
// backup to the same name is refused.
func TestBackup(t *testing.T) {
	dir := t.TempDir()
	src, err := sqlstore.Open(t.Context(), filepath.Join(dir, "gram.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	u := storetest.NewUser(t, src, "ann")
	before := storetest.NewPost(t, src, u, storetest.At(time.Second))
	storetest.Like(t, src, before, u, storetest.At(2*time.Second), true)

	ctx, stop := context.WithCancel(t.Context())
	var (
		wg      sync.WaitGroup
		written atomic.Int64
	)
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			at := storetest.At(time.Minute + time.Duration(i)*time.Millisecond)
			p := &gram.Post{ID: gram.NewID(at), AuthorID: u.ID, PhotoKey: "k", CreatedAt: at}
			if err := src.CreatePost(ctx, p); err != nil {
				if ctx.Err() == nil {
					t.Errorf("CreatePost during the backup: %v", err)
				}
				return
			}
			written.Add(1)
		}
	})
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	dest := filepath.Join(dir, "backup.db")
	err = sqlstore.Backup(t.Context(), "sqlite:"+filepath.Join(dir, "gram.db"), dest)
	for n := written.Load(); written.Load() < n+20; {
		time.Sleep(time.Millisecond) // the writer goes on after the backup
	}
	stop()
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}

	b, err := sqlstore.Open(t.Context(), dest, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	p, err := b.PostByID(t.Context(), before.ID)
	if err != nil || p.LikeCount != 1 {
		t.Fatalf("post written before the backup: %+v, %v", p, err)
	}
	var got int64
	if err := b.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM posts`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got < 21 || got >= written.Load()+1 {
		t.Errorf("backup has %d posts; %d were written before it started, %d in all", got, 21, written.Load()+1)
	}

	if err := sqlstore.Backup(t.Context(), filepath.Join(dir, "gram.db"), dest); !errors.Is(err, sqlstore.ErrBackupExists) {
		t.Errorf("second backup to the same file = %v, want ErrBackupExists", err)
	}
	if err := sqlstore.Backup(t.Context(), "postgres://db.example/gram", filepath.Join(dir, "pg.db")); !errors.Is(err, sqlstore.ErrNotSQLite) {
		t.Errorf("backup of PostgreSQL = %v, want ErrNotSQLite", err)
	}
	if err := sqlstore.Backup(t.Context(), filepath.Join(dir, "missing.db"), filepath.Join(dir, "m.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup of a missing file = %v, want a not-exist error", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*partial*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
