package blob_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/blob/blobtest"
	"github.com/instamern/gram/internal/gram"
)

func newDisk(t *testing.T, dir, base string) *blob.Disk {
	t.Helper()
	d, err := blob.NewDisk(dir, base)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDisk(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) gram.BlobStore {
		return serve(t, func(base string) gram.BlobStore { return newDisk(t, t.TempDir(), base) })
	})
}

func TestDisk_Layout(t *testing.T) {
	dir := t.TempDir()
	d := newDisk(t, dir, "http://localhost:8080")
	put := func(key, body, ct string) {
		t.Helper()
		if err := d.Put(t.Context(), key, strings.NewReader(body), int64(len(body)), ct); err != nil {
			t.Fatalf("Put(%q): %v", key, err)
		}
	}

	t.Run("ObjectIsAPlainFile", func(t *testing.T) {
		put("users/u1/a.jpg", "jpeg", "image/jpeg")
		b, err := os.ReadFile(filepath.Join(dir, "users", "u1", "a.jpg"))
		if err != nil || string(b) != "jpeg" {
			t.Errorf("file = %q, %v; want the object's bytes", b, err)
		}
	})
	t.Run("NoTempFilesLeft", func(t *testing.T) {
		put("users/u1/b.jpg", "jpeg", "image/jpeg")
		d.Put(t.Context(), "users/u1/c.jpg", strings.NewReader("short"), 99, "image/jpeg")
		entries, _ := os.ReadDir(filepath.Join(dir, "users", "u1"))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".tmp-") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
	})
	t.Run("GetIsSeekable", func(t *testing.T) {
		put("s/seek.txt", "0123456789", "text/plain")
		rc, _, err := d.Get(t.Context(), "s/seek.txt")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		defer rc.Close()
		rs, ok := rc.(io.ReadSeeker)
		if !ok {
			t.Fatalf("Get returned %T, want an io.ReadSeeker", rc)
		}
		rs.Seek(5, io.SeekStart)
		if b, _ := io.ReadAll(rs); string(b) != "56789" {
			t.Errorf("after Seek(5): %q, want 56789", b)
		}
	})
	t.Run("TypeFromExtensionWithoutSidecar", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "copied.png"), []byte("png"), 0o644)
		info, err := d.Head(t.Context(), "copied.png")
		if err != nil || info.ContentType != "image/png" {
			t.Errorf("Head = %+v, %v; want image/png from the extension", info, err)
		}
	})
	t.Run("URL", func(t *testing.T) {
		u, err := d.URL(t.Context(), "users/u1/a b.jpg")
		if want := "http://localhost:8080/media/users/u1/a%20b.jpg"; err != nil || u != want {
			t.Errorf("URL = %q, %v; want %q", u, err, want)
		}
	})
}

func TestDisk_SymlinkCannotEscape(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	d := newDisk(t, dir, "http://localhost")
	if rc, _, err := d.Get(t.Context(), "link/secret.txt"); err == nil {
		rc.Close()
		t.Error("Get through a symlink out of the folder succeeded, want an error")
	}
	err := d.Put(t.Context(), "link/planted.txt", strings.NewReader("x"), 1, "text/plain")
	if _, statErr := os.Stat(filepath.Join(outside, "planted.txt")); err == nil || statErr == nil {
		t.Errorf("Put through a symlink: err = %v, file outside exists = %v; want refused", err, statErr == nil)
	}
}
