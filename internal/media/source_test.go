package media

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// TestProcessSources runs the pipeline on a file, read where it lies from
// its current offset, and on a plain reader, read into memory; both
// enforce the byte limit and refuse an empty upload.
func TestProcessSources(t *testing.T) {
	jpg := encJPEG(t, quadImage(64, 48))
	file := func(skip string, data []byte) io.Reader {
		f, err := os.CreateTemp(t.TempDir(), "upload-*")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		if _, err := f.WriteString(skip); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Seek(int64(len(skip)), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		return f
	}
	plain := func(data []byte) io.Reader { return io.MultiReader(bytes.NewReader(data)) }
	limit := int64(len(jpg)) - 1
	tooLarge := fmt.Sprintf("The image is too large. The maximum is %d bytes.", limit)
	tests := []struct {
		name    string
		r       io.Reader
		limit   int64  // 0 for the default
		wantMsg string // "" for success
	}{
		{"file", file("", jpg), 0, ""},
		{"file from its offset", file("not part of the upload", jpg), 0, ""},
		{"plain reader", plain(jpg), 0, ""},
		{"file over the limit", file("", jpg), limit, tooLarge},
		{"plain reader over the limit", plain(jpg), limit, tooLarge},
		{"empty file", file("skipped", nil), 0, msgEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := New(Config{MaxBytes: tt.limit}).Process(t.Context(), tt.r, gram.ImageAvatar)
			var e *gram.Error
			switch {
			case tt.wantMsg == "" && (err != nil || img.Width != 48):
				t.Errorf("got %+v, %v; want a 48x48 avatar", img, err)
			case tt.wantMsg != "" && (!errors.As(err, &e) || e.Message != tt.wantMsg):
				t.Errorf("err = %v, want %q", err, tt.wantMsg)
			}
		})
	}
}
