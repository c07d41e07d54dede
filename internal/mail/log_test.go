package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

func TestLog_Send(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "outbox") // created on demand
	var logs bytes.Buffer
	l := &mail.Log{
		Dir:    dir,
		From:   "InstaMERN <no-reply@instamern.app>",
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Now:    func() time.Time { return buildNow },
	}
	m := gram.Message{ID: "65f0c0ffee0123456789abcd", To: "ada@example.com", Subject: "Reset your password",
		Text: "Go to " + resetLink + "\n", HTML: `<a href="` + resetLink + `">Reset</a>`}
	if err := l.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "20260304T050607.000000000Z-65f0c0ffee0123456789abcd.eml"
	if len(entries) != 1 || entries[0].Name() != want {
		t.Fatalf("outbox holds %v, want just %s", entries, want)
	}
	info, _ := entries[0].Info()
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(filepath.Join(dir, want))
	p := parse(t, raw)
	if p.parts["text/plain"] != strings.ReplaceAll(m.Text, "\r\n", "\n") || p.parts["text/html"] != m.HTML {
		t.Errorf("eml parts = %q", p.parts)
	}
	line := logs.String()
	for _, w := range []string{"ada@example.com", "Reset your password", filepath.Join(dir, want)} {
		if !strings.Contains(line, w) {
			t.Errorf("log line lacks %q: %s", w, line)
		}
	}
	if strings.Contains(line, "0123456789abcdef0123456789") {
		t.Errorf("log line leaks the reset token: %s", line)
	}
}

func TestLog_SendErrors(t *testing.T) {
	dir := t.TempDir()
	l := &mail.Log{Dir: dir, From: "no-reply@instamern.app", Logger: slog.New(slog.DiscardHandler)}
	t.Run("BadMessage", func(t *testing.T) {
		if err := l.Send(context.Background(), gram.Message{To: "nobody", Text: "x"}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("CanceledContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := l.Send(ctx, gram.Message{To: "a@example.com", Text: "x"}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("DirIsAFile", func(t *testing.T) {
		file := filepath.Join(dir, "file")
		os.WriteFile(file, nil, 0o600)
		bad := &mail.Log{Dir: file, From: l.From, Logger: l.Logger}
		if err := bad.Send(context.Background(), gram.Message{To: "a@example.com", Text: "x"}); err == nil {
			t.Error("no error")
		}
	})
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 { // just "file": no temporary files left behind
		t.Errorf("outbox holds %v", entries)
	}
}
