package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// sweepStray removes, under prefix, the files a write left behind when it
// never finished and that were last modified before olderThan: temporary
// files (a crash during writeAtomic) and sidecars whose object is gone (a
// crash between a Put's two renames, or between a Delete's two removals).
// It returns how many it removed.
func (d *Disk) sweepStray(ctx context.Context, prefix string, olderThan time.Time) (int, error) {
	dir := "."
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		dir = prefix[:i]
	}
	removed := 0
	err := fs.WalkDir(d.root.FS(), dir, func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			if name == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if e.IsDir() || !strings.HasPrefix(e.Name(), ".") || !strings.HasPrefix(name, prefix) {
			return ctx.Err()
		}
		stray, err := d.isStray(name, e, olderThan)
		if err != nil || !stray {
			return err
		}
		if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
		return ctx.Err()
	})
	if err != nil {
		return removed, fmt.Errorf("blob: sweep stray files under %q: %w", prefix, err)
	}
	return removed, nil
}

// isStray reports whether the dot-file name is a temporary file or an
// orphaned sidecar older than olderThan.
func (d *Disk) isStray(name string, e fs.DirEntry, olderThan time.Time) (bool, error) {
	info, err := e.Info()
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // removed meanwhile
	}
	if err != nil || !info.ModTime().Before(olderThan) {
		return false, err
	}
	base := e.Name()
	if strings.HasPrefix(base, ".tmp-") {
		return true, nil
	}
	if !strings.HasSuffix(base, ".type") {
		return false, nil
	}
	object := path.Join(path.Dir(name), strings.TrimSuffix(base[1:], ".type"))
	_, err = d.root.Lstat(object)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	return false, err
}
