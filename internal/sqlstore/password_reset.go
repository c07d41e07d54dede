package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func (s *Store) SetPasswordReset(ctx context.Context, r gram.PasswordReset, m *gram.OutboxMail) error {
	err := s.inTx(ctx, func(t tx) error {
		// One statement, not a delete and an insert: two requests for one
		// account at once (two replicas, two clicks) would both delete
		// nothing and the second insert would fail, losing its mail. The
		// upsert makes the later one wait and replace the earlier token.
		if _, err := t.exec(ctx, `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at`,
			r.UserID, r.TokenHash, ms(r.ExpiresAt)); err != nil {
			return err
		}
		return enqueueMail(ctx, t, m)
	})
	return s.wrap("set password reset", err)
}

const qResetPassword = `DELETE FROM password_resets WHERE token_hash = ? AND expires_at > ? RETURNING user_id`

func (s *Store) ResetPassword(ctx context.Context, tokenHash string, now time.Time, fn func(*gram.User) error) (*gram.User, error) {
	var out *gram.User
	err := s.inTx(ctx, func(t tx) error {
		var userID string
		err := t.queryRow(ctx, qResetPassword, tokenHash, ms(now)).Scan(&userID)
		if err != nil {
			return err
		}
		out, err = updateUserTx(ctx, t, userID, fn)
		return err
	})
	return out, s.wrap("reset password", err)
}
