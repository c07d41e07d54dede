package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

var jobTests = []test{
	{"ClaimJob/HeldUntilLeaseEnds", testClaimJobHeld},
	{"ClaimJob/StealAfterExpiry", testClaimJobSteal},
	{"ClaimJob/ConcurrentClaimersOne", testClaimJobConcurrent},
	{"ClaimJob/JobsIndependent", testClaimJobsIndependent},
	{"RenewJob/ExtendsHoldersLease", testRenewJob},
	{"FinishJob/NotDueUntilNext", testFinishJob},
	{"ReleaseJob/DueAtOnce", testReleaseJob},
	{"JobLease/StaleFinishRefused", testJobStaleRefused},
}

const sweep = "sweep"

func claimJob(t *testing.T, s gram.Store, name string, now time.Time, lease time.Duration) string {
	t.Helper()
	tok, err := s.ClaimJob(t.Context(), name, now, lease)
	noErr(t, "ClaimJob", err)
	if tok == "" {
		t.Fatal("ClaimJob gave no token")
	}
	return tok
}

func refusedClaim(t *testing.T, s gram.Store, name string, now time.Time) {
	t.Helper()
	tok, err := s.ClaimJob(t.Context(), name, now, time.Minute)
	wantErr(t, "ClaimJob", err, gram.ErrConflict)
	if tok != "" {
		t.Errorf("a refused ClaimJob gave token %q", tok)
	}
}

// testClaimJobHeld: a claimed job cannot be claimed again until its lease
// ends, up to the last millisecond.
func testClaimJobHeld(t *testing.T, s gram.Store) {
	claimJob(t, s, sweep, T0, time.Minute)
	refusedClaim(t, s, sweep, T0)
	refusedClaim(t, s, sweep, At(time.Minute-time.Millisecond))
}

// testClaimJobSteal: once a lease has run out, another replica claims the
// job, with a different token.
func testClaimJobSteal(t *testing.T, s gram.Store) {
	first := claimJob(t, s, sweep, T0, time.Minute)
	second := claimJob(t, s, sweep, At(time.Minute), time.Minute)
	if first == second {
		t.Fatalf("the second claim has the first's token %q", first)
	}
}

// testClaimJobConcurrent: of many replicas claiming one job at once,
// exactly one gets it.
func testClaimJobConcurrent(t *testing.T, s gram.Store) {
	const n = 16
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		won  int
		errs []error
	)
	for range n {
		wg.Go(func() {
			_, err := s.ClaimJob(t.Context(), sweep, T0, time.Minute)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case !errors.Is(err, gram.ErrConflict):
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || len(errs) > 0 {
		t.Fatalf("%d of %d concurrent claims won (errors: %v); want exactly one", won, n, errs)
	}
}

// testClaimJobsIndependent: a lease holds its own job only.
func testClaimJobsIndependent(t *testing.T, s gram.Store) {
	claimJob(t, s, "sweep-stories", T0, time.Minute)
	claimJob(t, s, "sweep-media", T0, time.Minute)
}

// testRenewJob: the holder's renewal pushes the end of its lease out; a
// claim before the new end is refused, one at it succeeds.
func testRenewJob(t *testing.T, s gram.Store) {
	tok := claimJob(t, s, sweep, T0, time.Minute)
	noErr(t, "RenewJob", s.RenewJob(t.Context(), sweep, tok, At(5*time.Minute)))
	refusedClaim(t, s, sweep, At(2*time.Minute))
	claimJob(t, s, sweep, At(5*time.Minute), time.Minute)
	wantErr(t, "RenewJob(unknown job)", s.RenewJob(t.Context(), "never-claimed", tok, At(time.Hour)), gram.ErrConflict)
}

// testFinishJob: a finished job is free but not due until its next run.
func testFinishJob(t *testing.T, s gram.Store) {
	tok := claimJob(t, s, sweep, T0, time.Minute)
	noErr(t, "FinishJob", s.FinishJob(t.Context(), sweep, tok, At(10*time.Minute)))
	refusedClaim(t, s, sweep, At(time.Second))
	refusedClaim(t, s, sweep, At(10*time.Minute-time.Millisecond))
	claimJob(t, s, sweep, At(10*time.Minute), time.Minute)
}

// testReleaseJob: a released job (its replica stopped mid-job) is
// claimed again at once, and its old token holds nothing.
func testReleaseJob(t *testing.T, s gram.Store) {
	tok := claimJob(t, s, sweep, T0, time.Hour)
	noErr(t, "ReleaseJob", s.ReleaseJob(t.Context(), sweep, tok))
	wantErr(t, "ReleaseJob(again)", s.ReleaseJob(t.Context(), sweep, tok), gram.ErrConflict)
	claimJob(t, s, sweep, At(time.Second), time.Minute)
	wantErr(t, "FinishJob(released token)", s.FinishJob(t.Context(), sweep, tok, At(time.Hour)), gram.ErrConflict)
}

// testJobStaleRefused: a replica whose lease ran out and whose job was
// claimed by another can neither renew, finish nor release the new
// claim; the new holder's finish stands.
func testJobStaleRefused(t *testing.T, s gram.Store) {
	stale := claimJob(t, s, sweep, T0, time.Minute)
	fresh := claimJob(t, s, sweep, At(time.Minute), time.Minute)
	wantErr(t, "RenewJob(stale)", s.RenewJob(t.Context(), sweep, stale, At(time.Hour)), gram.ErrConflict)
	wantErr(t, "FinishJob(stale)", s.FinishJob(t.Context(), sweep, stale, At(time.Hour)), gram.ErrConflict)
	wantErr(t, "ReleaseJob(stale)", s.ReleaseJob(t.Context(), sweep, stale), gram.ErrConflict)
	wantErr(t, "FinishJob(no token)", s.FinishJob(t.Context(), sweep, "", At(time.Hour)), gram.ErrConflict)
	refusedClaim(t, s, sweep, At(time.Minute+time.Second)) // the stale calls changed nothing
	noErr(t, "FinishJob(fresh)", s.FinishJob(t.Context(), sweep, fresh, At(10*time.Minute)))
	refusedClaim(t, s, sweep, At(5*time.Minute))
}
