package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

// The backlog's statements: pending mail is a range of mail_outbox_due
// (sent_at = 0, failed = false); the blob queue holds only what is left
// to remove, so its size is its row count.
const (
	qMailBacklog = `SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM mail_outbox WHERE sent_at = 0 AND failed = FALSE`
	qBlobBacklog = `SELECT COUNT(*) FROM blob_deletions`
)

func (s *Store) Backlog(ctx context.Context) (gram.Backlog, error) {
	var (
		b      gram.Backlog
		oldest int64
	)
	if err := s.queryRow(ctx, qMailBacklog).Scan(&b.MailPending, &oldest); err != nil {
		return gram.Backlog{}, s.wrap("mail backlog", err)
	}
	if err := s.queryRow(ctx, qBlobBacklog).Scan(&b.BlobDeletions); err != nil {
		return gram.Backlog{}, s.wrap("blob backlog", err)
	}
	b.OldestMail = fromMS(oldest)
	return b, nil
}
