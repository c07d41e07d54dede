package sqlstore

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const blobDeletionColumns = `blob_key, attempts, next_attempt_at, last_error, claim_token`

// The statements of the blob deletion queue: an insert that keeps a row
// already there, the claim (a range of blob_deletions_due, then an update
// by primary key per claimed row), and the outcomes.
const (
	qQueueBlob  = `INSERT INTO blob_deletions (blob_key, next_attempt_at) VALUES (?, ?) ON CONFLICT (blob_key) DO NOTHING`
	qClaimBlobs = `SELECT ` + blobDeletionColumns + ` FROM blob_deletions WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`
	qLeaseBlob  = `UPDATE blob_deletions SET attempts = attempts + 1, next_attempt_at = ?, claim_token = ? WHERE blob_key = ?`
	qBlobDone   = `DELETE FROM blob_deletions WHERE blob_key = ?`
	qRetryBlob  = `UPDATE blob_deletions SET last_error = ?, next_attempt_at = ? WHERE blob_key = ? AND claim_token = ?`
)

// queueBlobDeletions queues keys through q (the transaction that drops
// their last reference, or the store), due at at; empty keys (a user
// without a photo) are skipped.
func queueBlobDeletions(ctx context.Context, q querier, at time.Time, keys ...string) error {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if _, err := q.exec(ctx, qQueueBlob, k, ms(at)); err != nil {
			return err
		}
	}
	return nil
}

// queueDropped queues the keys whose last reference t drops, due at once:
// the store reads no clock, and 0 is before the now of any claim.
func queueDropped(ctx context.Context, t tx, keys ...string) error {
	return queueBlobDeletions(ctx, t, time.Time{}, keys...)
}

func (s *Store) QueueBlobDeletions(ctx context.Context, at time.Time, keys ...string) error {
	return s.wrap("queue blob deletions", s.inTx(ctx, func(t tx) error {
		return queueBlobDeletions(ctx, t, at, keys...)
	}))
}

func scanBlobDeletion(r scanner) (gram.BlobDeletion, error) {
	var (
		d    gram.BlobDeletion
		next int64
	)
	if err := r.Scan(&d.Key, &d.Attempts, &next, &d.LastError, &d.ClaimToken); err != nil {
		return gram.BlobDeletion{}, err
	}
	d.NextAttemptAt = fromMS(next)
	return d, nil
}

// ClaimBlobDeletions selects due rows (skipping rows another replica has
// locked, on PostgreSQL) and leases them in the same transaction, as
// ClaimMail does.
func (s *Store) ClaimBlobDeletions(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]gram.BlobDeletion, error) {
	var out []gram.BlobDeletion
	err := s.inTx(ctx, func(t tx) error {
		var err error
		if out, err = queryAll(ctx, t, scanBlobDeletion, qClaimBlobs+t.d.skipLocked, ms(now), limit); err != nil {
			return err
		}
		next := now.Add(lease)
		for i := range out {
			d := &out[i]
			d.Attempts, d.NextAttemptAt, d.ClaimToken = d.Attempts+1, next, rand.Text()
			if _, err := t.exec(ctx, qLeaseBlob, ms(next), d.ClaimToken, d.Key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap("claim blob deletions", err)
	}
	return out, nil
}

func (s *Store) BlobDeleted(ctx context.Context, key string) error {
	_, err := s.exec(ctx, qBlobDone, key)
	return s.wrap("blob deleted", err)
}

// RetryBlobDeletion tells an unknown key (ErrNotFound) from a superseded
// claim (ErrConflict) when no row matched, as markMail does.
func (s *Store) RetryBlobDeletion(ctx context.Context, key, claim, lastError string, retryAt time.Time) error {
	return s.wrap("retry blob deletion", s.inTx(ctx, func(t tx) error {
		err := mustAffect(t.exec(ctx, qRetryBlob, lastError, ms(retryAt), key, claim))
		if !errors.Is(err, gram.ErrNotFound) {
			return err
		}
		var one int
		if err := t.queryRow(ctx, `SELECT 1 FROM blob_deletions WHERE blob_key = ?`, key).Scan(&one); err != nil {
			return err
		}
		return gram.ErrConflict
	}))
}
