package sqlstore

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// syncHelperEnv makes the test binary, run by TestSynchronousSyncsEveryCommit,
// write syncHelperWrites mails to a database and exit: "MODE PATH".
const (
	syncHelperEnv    = "GRAM_SYNC_HELPER"
	syncHelperWrites = 40
)

// TestSynchronousSyncsEveryCommit: a power failure cannot be staged in a
// test, so this checks what makes a write survive one. A child process
// makes 40 write transactions on a migrated SQLite file under strace,
// which counts its fsync and fdatasync calls: with SyncFull every commit
// syncs before it returns (at least 40), with SyncNormal only the
// background checkpoints do (far fewer).
func TestSynchronousSyncsEveryCommit(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
	for _, mode := range []string{SyncFull, SyncNormal} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "gram.db")
			s, err := Open(t.Context(), path, Options{Synchronous: mode}) // migrations, outside the count
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			summary := filepath.Join(t.TempDir(), "strace.txt")
			cmd := exec.Command("strace", "-f", "-qq", "-c", "-e", "trace=fsync,fdatasync", "-o", summary,
				os.Args[0], "-test.run=^TestSynchronousSyncsEveryCommit$")
			cmd.Env = append(os.Environ(), syncHelperEnv+"="+mode+" "+path)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			syncs := countSyncs(t, summary)
			t.Logf("%s: %d syncs for %d commits", mode, syncs, syncHelperWrites)
			if mode == SyncFull && syncs < syncHelperWrites {
				t.Errorf("%d syncs for %d commits; want one per commit at least", syncs, syncHelperWrites)
			}
			if mode == SyncNormal && syncs >= syncHelperWrites/2 {
				t.Errorf("%d syncs for %d commits; want only the checkpoints'", syncs, syncHelperWrites)
			}
		})
	}
}

func init() {
	spec := os.Getenv(syncHelperEnv)
	if spec == "" {
		return
	}
	var mode, path string
	if _, err := fmt.Sscan(spec, &mode, &path); err != nil {
		panic(err)
	}
	s, err := Open(context.Background(), path, Options{Synchronous: mode})
	if err != nil {
		panic(err)
	}
	for i := range syncHelperWrites {
		now := time.Now()
		m := gram.OutboxMail{Message: gram.Message{ID: gram.NewID(now), To: "a@example.com", Subject: strconv.Itoa(i)},
			CreatedAt: now, NextAttemptAt: now}
		if err := s.EnqueueMail(context.Background(), m); err != nil {
			panic(err)
		}
	}
	os.Exit(0) // without Close, whose checkpoint would sync too
}

// countSyncs reads the calls column of strace's summary.
func countSyncs(t *testing.T, summary string) int {
	t.Helper()
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range regexp.MustCompile(`(?m)^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(?:fsync|fdatasync)$`).FindAllStringSubmatch(string(b), -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}
