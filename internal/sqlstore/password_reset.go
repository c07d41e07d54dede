package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func (s *Store) SetPasswordReset(ctx context.Context, r gram.PasswordReset, m *gram.OutboxMail) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM password_resets WHERE user_id = ?`, r.UserID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES (?, ?, ?)`,
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
