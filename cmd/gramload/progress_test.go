package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer the drawing goroutine and the test can
// share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestProgress: on a terminal the line is redrawn in place with \r; in a
// log it is a plain line every so often and a last one at the end,
// without a carriage return.
func TestProgress(t *testing.T) {
	t.Run("NotATerminal", func(t *testing.T) {
		var w lockedBuffer
		p := newProgress(&w)
		if p.tty {
			t.Fatal("a buffer is taken for a terminal")
		}
		p.every = 20 * time.Millisecond
		stop := p.show(func() string { return "line" })
		deadline := time.Now().Add(5 * time.Second)
		for strings.Count(w.String(), "\n") < 2 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		stop()
		out := w.String()
		if strings.Contains(out, "\r") {
			t.Errorf("output has a carriage return: %q", out)
		}
		if lines := strings.Count(out, "line\n"); lines < 3 || out != strings.Repeat("line\n", lines) {
			t.Errorf("output %q; want plain lines, a periodic one at least twice and a final one", out)
		}
	})
	t.Run("Terminal", func(t *testing.T) {
		var w lockedBuffer
		p := &progress{w: &w, tty: true}
		p.show(func() string { return "line" })()
		if out := w.String(); !strings.HasPrefix(out, "\rline ") || !strings.HasSuffix(out, "\n") {
			t.Errorf("output %q; want lines redrawn with \\r, then a newline", out)
		}
	})
	t.Run("FileIsNotATerminal", func(t *testing.T) {
		f, err := os.Create(t.TempDir() + "/log")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if isTerminal(f) {
			t.Error("a regular file is taken for a terminal")
		}
	})
}
