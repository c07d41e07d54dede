package app

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
)

// runnerOn is a job runner on s with a short lease and poll.
func runnerOn(s *sqlstore.Store, lease time.Duration) *jobRunner {
	return &jobRunner{leases: s, log: slog.New(slog.DiscardHandler), now: time.Now, lease: lease, poll: 20 * time.Millisecond}
}

// span is one run of a job.
type span struct {
	runner     int
	start, end time.Time
}

// TestJobRunnersShareOneStore: two replicas' runners loop over one job on
// one store; the job never runs on both at once and runs once per period
// (each run starts a period or more after the previous one ended).
func TestJobRunnersShareOneStore(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			defer s.Close()
			const every = 150 * time.Millisecond
			var (
				mu   sync.Mutex
				runs []span
			)
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			var wg sync.WaitGroup
			for r := range 2 {
				j := job{name: "count", every: every, run: func(context.Context) error {
					sp := span{runner: r, start: time.Now()}
					time.Sleep(30 * time.Millisecond)
					sp.end = time.Now()
					mu.Lock()
					runs = append(runs, sp)
					mu.Unlock()
					return nil
				}}
				wg.Go(func() { runnerOn(s, time.Minute).loop(ctx, j) })
			}
			wg.Wait()
			slices.SortFunc(runs, func(a, b span) int { return a.start.Compare(b.start) })
			if len(runs) < 4 {
				t.Fatalf("%d runs in 2 s with a period of %v; want at least 4", len(runs), every)
			}
			for i := 1; i < len(runs); i++ {
				if gap := runs[i].start.Sub(runs[i-1].end); gap < every {
					t.Errorf("run %d (runner %d) started %v after run %d (runner %d) ended; want at least %v",
						i, runs[i].runner, gap, i-1, runs[i-1].runner, every)
				}
			}
			t.Logf("%d runs; by runner: %v", len(runs), byRunner(runs))
		})
	}
}

func byRunner(runs []span) [2]int {
	var n [2]int
	for _, r := range runs {
		n[r.runner]++
	}
	return n
}

// TestJobReleasedOnStop: a runner that stops mid-job releases its claim,
// and another replica claims the job at once, not after the lease.
func TestJobReleasedOnStop(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			defer s.Close()
			started := make(chan struct{})
			j := job{name: "long", every: time.Hour, run: func(ctx context.Context) error {
				close(started)
				<-ctx.Done()
				return ctx.Err()
			}}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan bool)
			go func() { done <- runnerOn(s, time.Hour).try(ctx, j) }()
			<-started
			if _, err := s.ClaimJob(t.Context(), "long", time.Now(), time.Minute); !errors.Is(err, gram.ErrConflict) {
				t.Fatalf("claim while the job runs: %v; want ErrConflict", err)
			}
			cancel()
			if !<-done {
				t.Fatal("try reports that it did not run the job")
			}
			if _, err := s.ClaimJob(t.Context(), "long", time.Now(), time.Minute); err != nil {
				t.Fatalf("claim after the runner stopped: %v; want the job released (its lease had an hour left)", err)
			}
		})
	}
}

// TestJobCutShortWhenTakenOver: when another replica has claimed the job
// (the runner's lease ran out, say while it was frozen), the runner's
// next renewal is refused, its run is cut short, and it neither finishes
// nor releases the other replica's claim.
func TestJobCutShortWhenTakenOver(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			defer s.Close()
			started := make(chan struct{})
			var cause error
			j := job{name: "stolen", every: time.Hour, run: func(ctx context.Context) error {
				close(started)
				<-ctx.Done()
				cause = context.Cause(ctx)
				return ctx.Err()
			}}
			done := make(chan bool)
			go func() { done <- runnerOn(s, 300*time.Millisecond).try(t.Context(), j) }()
			<-started
			later := time.Now().Add(time.Hour) // past the runner's lease
			thief, err := s.ClaimJob(t.Context(), "stolen", later, time.Hour)
			if err != nil {
				t.Fatalf("claim past the lease: %v", err)
			}
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the run was not cut short within 5 s of the takeover")
			}
			if !errors.Is(cause, errJobLeaseLost) {
				t.Errorf("the run ended with cause %v; want %v", cause, errJobLeaseLost)
			}
			if err := s.FinishJob(t.Context(), "stolen", thief, later.Add(time.Hour)); err != nil {
				t.Errorf("the thief's finish: %v; want its claim intact", err)
			}
		})
	}
}
