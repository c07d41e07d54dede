package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"

	"github.com/instamern/gram/internal/gram"
)

// DefaultDiskDir is where Disk keeps media when no folder is configured.
const DefaultDiskDir = "data/media"

// Disk is a gram.BlobStore on a local folder, the zero-setup default.
//
// Object "a/b.jpg" is the file DIR/a/b.jpg; its content type is kept in the
// sidecar DIR/a/.b.jpg.type (ValidKey forbids dot-names, so sidecars and
// temporary files never collide with keys and never show up in List). Every
// file access goes through an os.Root, so no key, symlink or ".." can reach
// outside DIR. Writes go to a temporary file that is renamed into place, so
// readers never see a half-written object.
//
// Get returns an *os.File, so callers can use http.ServeContent.
type Disk struct {
	root       *os.Root
	publicBase string
}

var _ gram.BlobStore = (*Disk)(nil)

// NewDisk opens (creating if needed) the folder dir. URL returns
// publicBase + "/media/" + key, publicBase being the app's own base URL
// (e.g. "http://localhost:8080"); the app serves those paths with Handler.
func NewDisk(dir, publicBase string) (*Disk, error) {
	if dir == "" {
		dir = DefaultDiskDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create media folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: open media folder: %w", err)
	}
	return &Disk{root: root, publicBase: publicBase}, nil
}

// Close releases the folder handle.
func (d *Disk) Close() error { return d.root.Close() }

// sidecar is the name of the file holding key's content type.
func sidecar(key string) string {
	dir, name := path.Split(key)
	return dir + "." + name + ".type"
}

func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if dir := path.Dir(key); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("blob: put %q: %w", key, err)
		}
	}
	// The sidecar goes first: a crash in between leaves at worst a stray
	// sidecar, never an object without its type.
	if err := d.writeAtomic(ctx, sidecar(key), strings.NewReader(contentType), -1); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err := d.writeAtomic(ctx, key, r, size); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return nil
}

// writeAtomic copies r into a temporary file next to name, syncs it and
// renames it over name. size < 0 means unknown; otherwise a short or long
// body is an error and nothing is written.
func (d *Disk) writeAtomic(ctx context.Context, name string, r io.Reader, size int64) (err error) {
	tmp := path.Join(path.Dir(name), ".tmp-"+randomHex())
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			d.root.Remove(tmp)
		}
	}()
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err != nil {
		return err
	}
	if size >= 0 && n != size {
		return fmt.Errorf("read %d bytes, want %d", n, size)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return d.root.Rename(tmp, name)
}

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (d *Disk) Get(ctx context.Context, key string) (io.ReadCloser, gram.BlobInfo, error) {
	if err := checkKey(key); err != nil {
		return nil, gram.BlobInfo{}, err
	}
	f, err := d.root.Open(key)
	if err != nil {
		return nil, gram.BlobInfo{}, notFound(key, err)
	}
	info, err := d.info(key, f.Stat)
	if err != nil {
		f.Close()
		return nil, gram.BlobInfo{}, err
	}
	return f, info, nil
}

func (d *Disk) Head(ctx context.Context, key string) (gram.BlobInfo, error) {
	if err := checkKey(key); err != nil {
		return gram.BlobInfo{}, err
	}
	return d.info(key, func() (fs.FileInfo, error) { return d.root.Stat(key) })
}

// info builds key's BlobInfo from stat and the sidecar. A missing sidecar
// (files copied in by hand) falls back to the type of the extension.
func (d *Disk) info(key string, stat func() (fs.FileInfo, error)) (gram.BlobInfo, error) {
	fi, err := stat()
	if err != nil {
		return gram.BlobInfo{}, notFound(key, err)
	}
	if !fi.Mode().IsRegular() {
		return gram.BlobInfo{}, fmt.Errorf("blob %q: %w", key, gram.ErrNotFound)
	}
	ct, err := d.root.ReadFile(sidecar(key))
	if err != nil {
		ct = []byte(mime.TypeByExtension(path.Ext(key)))
	}
	return gram.BlobInfo{Key: key, Size: fi.Size(), ContentType: string(ct), LastModified: fi.ModTime()}, nil
}

// notFound maps a missing file (or a file where a folder was expected) to
// gram.ErrNotFound.
func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("blob %q: %w", key, gram.ErrNotFound)
	}
	return fmt.Errorf("blob %q: %w", key, err)
}

func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	for _, name := range []string{key, sidecar(key)} {
		if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("blob: delete %q: %w", key, err)
		}
	}
	return nil
}

func (d *Disk) DeletePrefix(ctx context.Context, prefix string) error {
	if err := checkDeletePrefix(prefix); err != nil {
		return err
	}
	// The prefix ends in "/", so it names exactly one folder.
	if err := d.root.RemoveAll(strings.TrimSuffix(prefix, "/")); err != nil {
		return fmt.Errorf("blob: delete prefix %q: %w", prefix, err)
	}
	return nil
}

func (d *Disk) List(ctx context.Context, prefix string) ([]gram.BlobInfo, error) {
	if err := checkListPrefix(prefix); err != nil {
		return nil, err
	}
	// Walk the deepest folder that contains every match.
	dir := "."
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		dir = prefix[:i]
	}
	var out []gram.BlobInfo
	err := fs.WalkDir(d.root.FS(), dir, func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			if name == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && name != "." {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.Type().IsRegular() && strings.HasPrefix(name, prefix) {
			info, err := d.Head(ctx, name)
			if err != nil {
				return err
			}
			out = append(out, info)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	// WalkDir orders "a/x" before "a.txt"; keys sort bytewise, like S3.
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (d *Disk) URL(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return mediaURL(d.publicBase, key), nil
}
