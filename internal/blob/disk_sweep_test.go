package blob_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
)

// crashDirEnv names the folder of the Put that TestDiskCrashHelper makes
// in a child process, which the parent test kills half-way.
const crashDirEnv = "GRAM_BLOB_CRASH_DIR"

// TestDiskCrashHelper is not a test: run by TestSweep_DiskStrayFiles in a
// child process, it starts a Put whose body never ends, so that the
// parent can SIGKILL the process during the write.
func TestDiskCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return // only a helper process
	}
	d, err := blob.NewDisk(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go pw.Write([]byte("the first half of a JPEG")) // and nothing more, ever
	_ = d.Put(t.Context(), "users/u1/posts/crashed.jpg", pr, 1000, "image/jpeg")
	t.Fatal("Put returned; it should have been killed")
}

// TestSweep_DiskStrayFiles kills a process in the middle of a Disk write,
// which leaves a temporary file and a sidecar without its object, and
// checks that once they are older than the grace period the sweep
// removes them, and only them.
func TestSweep_DiskStrayFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	crashPut(t, dir)
	posts := filepath.Join(dir, "users", "u1", "posts")
	crashed := files(t, posts)
	if len(crashed) != 2 || crashed[0] != ".crashed.jpg.type" || !strings.HasPrefix(crashed[1], ".tmp-") {
		t.Fatalf("the killed Put left %q; want its sidecar and a temporary file", crashed)
	}

	d := newDisk(t, dir, "")
	for _, k := range []string{"users/u1/posts/kept.jpg", "users/u1/posts/orphan.jpg", "other/x.jpg"} {
		if err := d.Put(t.Context(), k, strings.NewReader("jpeg"), 4, "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "other", ".tmp-outside-prefix"), nil, 0o644)
	old := time.Now().Add(-48 * time.Hour)
	age(t, dir, old)
	os.WriteFile(filepath.Join(posts, ".tmp-in-flight"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(posts, ".uploading.jpg.type"), []byte("image/jpeg"), 0o644)

	isRef := func(key string) (bool, error) { return key == "users/u1/posts/kept.jpg", nil }
	n, err := blob.Sweep(t.Context(), d, "users/", time.Now().Add(-24*time.Hour), isRef)
	if err != nil || n != 3 {
		t.Errorf("Sweep = %d, %v; want 3 (the orphan, the crash's temporary file and sidecar), nil", n, err)
	}
	want := []string{".kept.jpg.type", ".tmp-in-flight", ".uploading.jpg.type", "kept.jpg"}
	if got := files(t, posts); !slices.Equal(got, want) {
		t.Errorf("left %q; want %q (the referenced object, and the files younger than the grace)", got, want)
	}
	if got := files(t, filepath.Join(dir, "other")); len(got) != 3 {
		t.Errorf("outside the prefix: %q; want it untouched", got)
	}
}

// crashPut runs TestDiskCrashHelper on dir in a child process, waits
// until the Put has written the sidecar and begun the object, and kills
// it.
func crashPut(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDiskCrashHelper$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	posts := filepath.Join(dir, "users", "u1", "posts")
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		names := files(t, posts)
		if len(names) == 2 && names[0] == ".crashed.jpg.type" && strings.HasPrefix(names[1], ".tmp-") {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("the child's write did not begin within 20s")
}

// files lists the names in dir, sorted; none if it does not exist.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// age sets the times of every file under dir to at.
func age(t *testing.T, dir string, at time.Time) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		return os.Chtimes(p, at, at)
	})
	if err != nil {
		t.Fatal(err)
	}
}
