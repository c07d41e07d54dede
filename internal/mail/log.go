package mail

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Log is the development gram.Mailer: it writes each message as an .eml
// file into Dir and logs one line with the recipient, the subject and the
// file's path. It never logs the body, which may hold a reset token; open
// the file (any mail client reads .eml) to follow the link.
type Log struct {
	Dir    string       // outbox folder, created (0700) if missing
	From   string       // sender, as for Build
	Logger *slog.Logger // nil means slog.Default()
	Now    func() time.Time
}

var _ gram.Mailer = (*Log)(nil)

// Send implements gram.Mailer. The file is named after the time and the
// message id and appears atomically, complete or not at all.
func (l *Log) Send(ctx context.Context, m gram.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now().UTC()
	raw, err := Build(l.From, m, t)
	if err != nil {
		return err
	}
	path := filepath.Join(l.Dir, emlName(t, m.ID))
	if err := writeAtomic(path, raw); err != nil {
		return fmt.Errorf("mail: log: %w", err)
	}
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "mail: written to outbox folder", "to", m.To, "subject", m.Subject, "path", path)
	return nil
}

// emlName sorts by time; the id (or a random suffix) keeps two messages
// of the same nanosecond apart. Only file-name-safe id characters are kept.
func emlName(t time.Time, id string) string {
	id = strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return r
		}
		return -1
	}, id)
	if id == "" {
		id = randomHex(8)
	}
	return t.Format("20060102T150405.000000000Z") + "-" + id + ".eml"
}

// writeAtomic writes data to a temporary file in path's folder and renames
// it into place, so readers never see a partial message. Files are private
// (0600): they hold reset and confirmation links.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*.eml")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
