package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const exportColumns = `id, user_id, state, blob_key, size, attempts, last_error, created_at, ready_at, expires_at`

func scanExport(r scanner) (*gram.Export, error) {
	var (
		x                 gram.Export
		at, ready, expire int64
	)
	if err := r.Scan(&x.ID, &x.UserID, &x.State, &x.BlobKey, &x.Size, &x.Attempts, &x.LastError, &at, &ready, &expire); err != nil {
		return nil, err
	}
	x.CreatedAt, x.ReadyAt, x.ExpiresAt = fromMS(at), fromMS(ready), fromMS(expire)
	return &x, nil
}

func (s *Store) CreateExport(ctx context.Context, x *gram.Export) error {
	_, err := s.exec(ctx, `INSERT INTO exports (`+exportColumns+`) VALUES (`+placeholders(10)+`)`,
		x.ID, x.UserID, x.State, x.BlobKey, x.Size, x.Attempts, x.LastError, ms(x.CreatedAt), ms(x.ReadyAt), ms(x.ExpiresAt))
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return s.wrap("create export", err)
}

// qLatestExport walks the (user_id, created_at, id) index backwards.
const qLatestExport = `SELECT ` + exportColumns + ` FROM exports WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`

func (s *Store) LatestExport(ctx context.Context, userID string) (*gram.Export, error) {
	x, err := scanExport(s.queryRow(ctx, qLatestExport, userID))
	return x, s.wrap("latest export", err)
}

func (s *Store) ExportByID(ctx context.Context, id string) (*gram.Export, error) {
	x, err := scanExport(s.queryRow(ctx, `SELECT `+exportColumns+` FROM exports WHERE id = ?`, id))
	return x, s.wrap("export by id", err)
}

// qPendingExports walks the (state, created_at, id) index forwards.
const qPendingExports = `SELECT ` + exportColumns + ` FROM exports WHERE state = ? ORDER BY created_at, id LIMIT ?`

func (s *Store) PendingExports(ctx context.Context, limit int) ([]*gram.Export, error) {
	out, err := queryAll(ctx, s, scanExport, qPendingExports, gram.ExportPending, limit)
	return out, s.wrap("pending exports", err)
}

const qSaveExport = `UPDATE exports SET state = ?, blob_key = ?, size = ?, attempts = ?, last_error = ?, ready_at = ?, expires_at = ?
	WHERE id = ?`

func (s *Store) SaveExport(ctx context.Context, x *gram.Export) error {
	return s.wrap("save export", mustAffect(s.exec(ctx, qSaveExport,
		x.State, x.BlobKey, x.Size, x.Attempts, x.LastError, ms(x.ReadyAt), ms(x.ExpiresAt), x.ID)))
}

// qExpiredExports walks the (state, expires_at) index.
const (
	qExpiredExports = `SELECT id, blob_key FROM exports WHERE state = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?`
	qExpireExport   = `UPDATE exports SET state = ? WHERE id = ? AND state = ?`
)

func (s *Store) ExpireExports(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var keys []string
	err := s.inTx(ctx, func(t tx) error {
		rows, err := t.query(ctx, qExpiredExports, gram.ExportReady, ms(now), limit)
		if err != nil {
			return err
		}
		type row struct{ id, key string }
		var due []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.key); err != nil {
				rows.Close()
				return err
			}
			due = append(due, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		keys = keys[:0]
		for _, r := range due {
			if _, err := t.exec(ctx, qExpireExport, gram.ExportExpired, r.id, gram.ExportReady); err != nil {
				return err
			}
			if err := queueDropped(ctx, t, r.key); err != nil {
				return err
			}
			keys = append(keys, r.key)
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap("expire exports", err)
	}
	return keys, nil
}
