package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func (s *Store) SetEmailChange(ctx context.Context, c gram.EmailChange, mails ...*gram.OutboxMail) error {
	err := s.inTx(ctx, func(t tx) error {
		if err := lockUser(ctx, t, c.UserID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM email_changes WHERE user_id = ?`, c.UserID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO email_changes (user_id, new_email, token_hash, expires_at) VALUES (?, ?, ?, ?)`,
			c.UserID, c.NewEmail, c.TokenHash, ms(c.ExpiresAt)); err != nil {
			return err
		}
		for _, m := range mails {
			if err := enqueueMail(ctx, t, m); err != nil {
				return err
			}
		}
		return nil
	})
	return s.wrap("set email change", err)
}

const qConfirmEmailChange = `DELETE FROM email_changes WHERE token_hash = ? AND expires_at > ? RETURNING user_id, new_email`

func (s *Store) ConfirmEmailChange(ctx context.Context, tokenHash string, now time.Time,
	apply func(u *gram.User, newEmail string) (*gram.OutboxMail, error)) (*gram.User, error) {
	var out *gram.User
	err := s.inTx(ctx, func(t tx) error {
		var userID, email string
		err := t.queryRow(ctx, qConfirmEmailChange, tokenHash, ms(now)).Scan(&userID, &email)
		if err != nil {
			return err
		}
		var m *gram.OutboxMail
		out, err = updateUserTx(ctx, t, userID, func(u *gram.User) error {
			var err error
			m, err = apply(u, email)
			return err
		})
		if err != nil {
			return err
		}
		return enqueueMail(ctx, t, m)
	})
	return out, s.wrap("confirm email change", err)
}

func (s *Store) CancelEmailChange(ctx context.Context, userID string) error {
	_, err := s.exec(ctx, `DELETE FROM email_changes WHERE user_id = ?`, userID)
	return s.wrap("cancel email change", err)
}
