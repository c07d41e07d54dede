package sqlstore

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const outboxColumns = `id, recipient, subject, html, text, attempts, created_at, next_attempt_at, sent_at, failed, last_error, claim_token`

// enqueueMail inserts m through q (the transaction of the change the mail
// is about, or the store for a mail on its own); a nil m is nothing to do.
func enqueueMail(ctx context.Context, q querier, m *gram.OutboxMail) error {
	if m == nil {
		return nil
	}
	_, err := q.exec(ctx, `INSERT INTO mail_outbox (`+outboxColumns+`) VALUES (`+placeholders(12)+`)`,
		m.ID, m.To, m.Subject, m.HTML, m.Text, m.Attempts, ms(m.CreatedAt), ms(m.NextAttemptAt), ms(m.SentAt), m.Failed, m.LastError, m.ClaimToken)
	return err
}

func (s *Store) EnqueueMail(ctx context.Context, m gram.OutboxMail) error {
	return s.wrap("enqueue mail", enqueueMail(ctx, s, &m))
}

func scanOutbox(r scanner) (gram.OutboxMail, error) {
	var (
		m                     gram.OutboxMail
		created, next, sentAt int64
	)
	err := r.Scan(&m.ID, &m.To, &m.Subject, &m.HTML, &m.Text, &m.Attempts, &created, &next, &sentAt, &m.Failed, &m.LastError, &m.ClaimToken)
	if err != nil {
		return gram.OutboxMail{}, err
	}
	m.CreatedAt, m.NextAttemptAt, m.SentAt = fromMS(created), fromMS(next), fromMS(sentAt)
	return m, nil
}

// The statements of claiming mail: a range of mail_outbox_due, then an
// update by primary key per claimed row.
const (
	qClaimMail = `SELECT ` + outboxColumns + ` FROM mail_outbox WHERE sent_at = 0 AND failed = FALSE AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`
	qLeaseMail = `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, claim_token = ? WHERE id = ?`
)

// ClaimMail selects due rows (skipping rows another replica has locked,
// on PostgreSQL; SQLite has a single writer) and pushes their next attempt
// out by the lease in the same transaction.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]gram.OutboxMail, error) {
	var out []gram.OutboxMail
	err := s.inTx(ctx, func(t tx) error {
		var err error
		if out, err = queryAll(ctx, t, scanOutbox, qClaimMail+t.d.skipLocked, ms(now), limit); err != nil {
			return err
		}
		next := now.Add(lease)
		for i := range out {
			out[i].Attempts++
			out[i].NextAttemptAt = next
			out[i].ClaimToken = rand.Text()
			if _, err := t.exec(ctx, qLeaseMail, ms(next), out[i].ClaimToken, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap("claim mail", err)
	}
	return out, nil
}

func (s *Store) MarkMailSent(ctx context.Context, id, claim string, at time.Time) error {
	return s.wrap("mark mail sent", s.markMail(ctx, id, claim, `sent_at = ?, last_error = ''`, "", ms(at)))
}

func (s *Store) MarkMailFailed(ctx context.Context, id, claim, lastError string, retryAt time.Time, giveUp bool) error {
	return s.wrap("mark mail failed", s.markMail(ctx, id, claim, `last_error = ?, next_attempt_at = ?, failed = ?`, "",
		lastError, ms(retryAt), giveUp))
}

func (s *Store) RenewMailLease(ctx context.Context, id, claim string, until time.Time) error {
	return s.wrap("renew mail lease", s.markMail(ctx, id, claim, `next_attempt_at = ?`,
		` AND sent_at = 0 AND failed = FALSE`, ms(until)))
}

// markMail sets the columns of message id if claim is its latest claim
// (and the extra condition and holds). When no row matched, it tells an
// unknown id (ErrNotFound) from a claim that another sender has
// superseded or a message no longer in that state (ErrConflict).
func (s *Store) markMail(ctx context.Context, id, claim, set, and string, args ...any) error {
	return s.inTx(ctx, func(t tx) error {
		err := mustAffect(t.exec(ctx, `UPDATE mail_outbox SET `+set+` WHERE id = ? AND claim_token = ?`+and,
			append(args, id, claim)...))
		if !errors.Is(err, gram.ErrNotFound) {
			return err
		}
		var one int
		if err := t.queryRow(ctx, `SELECT 1 FROM mail_outbox WHERE id = ?`, id).Scan(&one); err != nil {
			return err
		}
		return gram.ErrConflict
	})
}

func (s *Store) SuppressMail(ctx context.Context, email, reason string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO mail_suppressions (email, reason, created_at) VALUES (?, ?, ?)
		ON CONFLICT (email) DO NOTHING`, strings.ToLower(email), reason, ms(at))
	return s.wrap("suppress mail", err)
}

const qMailSuppressed = `SELECT COUNT(*) FROM mail_suppressions WHERE email = ?`

func (s *Store) MailSuppressed(ctx context.Context, email string) (bool, error) {
	var n int
	err := s.queryRow(ctx, qMailSuppressed, strings.ToLower(email)).Scan(&n)
	return n > 0, s.wrap("mail suppressed", err)
}
