package sqlstore

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of the job leases. The claim is one upsert whose update
// applies only to a due, unheld job, so that two replicas claiming at once
// cannot both succeed; every other statement names the claim's token.
const (
	qClaimJob = `INSERT INTO job_leases (name, owner, lease_until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE job_leases.lease_until <= ? AND job_leases.next_run_at <= ?`
	qRenewJob   = `UPDATE job_leases SET lease_until = ? WHERE name = ? AND owner = ?`
	qFinishJob  = `UPDATE job_leases SET owner = '', lease_until = 0, next_run_at = ? WHERE name = ? AND owner = ?`
	qReleaseJob = `UPDATE job_leases SET owner = '', lease_until = 0 WHERE name = ? AND owner = ?`
)

func (s *Store) ClaimJob(ctx context.Context, name string, now time.Time, lease time.Duration) (string, error) {
	token := rand.Text()
	err := mustAffect(s.exec(ctx, qClaimJob, name, token, ms(now.Add(lease)), ms(now), ms(now)))
	if err != nil {
		return "", s.wrap("claim job", heldBySomeoneElse(err))
	}
	return token, nil
}

func (s *Store) RenewJob(ctx context.Context, name, token string, until time.Time) error {
	return s.wrap("renew job", heldBySomeoneElse(mustAffect(s.exec(ctx, qRenewJob, ms(until), name, token))))
}

func (s *Store) FinishJob(ctx context.Context, name, token string, next time.Time) error {
	return s.wrap("finish job", heldBySomeoneElse(mustAffect(s.exec(ctx, qFinishJob, ms(next), name, token))))
}

func (s *Store) ReleaseJob(ctx context.Context, name, token string) error {
	return s.wrap("release job", heldBySomeoneElse(mustAffect(s.exec(ctx, qReleaseJob, name, token))))
}

// heldBySomeoneElse turns "no row matched" into ErrConflict: the job is
// not this claim's (held by another, not due, or the token is stale).
func heldBySomeoneElse(err error) error {
	if errors.Is(err, gram.ErrNotFound) {
		return gram.ErrConflict
	}
	return err
}
