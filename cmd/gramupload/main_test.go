package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun sends a few small uploads, from fewer accounts than uploads,
// and checks the report: all succeeded and no temp file is left.
func TestRun(t *testing.T) {
	var out strings.Builder
	img := filepath.Join(t.TempDir(), "small.png")
	if err := run(t.Context(), []string{"-n", "3", "-accounts", "2", "-image", img, "-width", "300", "-height", "200"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 concurrent post uploads", "| 201 | Your post has been uploaded successfully. | 3 |", "Files left in the upload temp dir: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
