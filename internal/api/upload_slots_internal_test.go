package api

import (
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// TestUploadSlotsForget checks that a user's slots are counted while in
// use or waited for, and forgotten when the last is given back.
func TestUploadSlotsForget(t *testing.T) {
	u := newUploadSlots(UploadLimits{PerAccount: 2, AccountWait: 10 * time.Millisecond}.withDefaults())
	var releases []func()
	for range 2 {
		release, err := u.acquire(t.Context(), "ann")
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	if _, err := u.acquire(t.Context(), "ann"); gram.ErrorCode(err) != gram.ERATELIMIT {
		t.Fatalf("third upload: %v, want %s", err, gram.ERATELIMIT)
	}
	if len(u.users) != 1 || len(u.total) != 2 {
		t.Fatalf("users %d, total %d in use; want 1, 2", len(u.users), len(u.total))
	}
	for _, release := range releases {
		release()
	}
	if len(u.users) != 0 || len(u.total) != 0 {
		t.Errorf("after release: users %d, total %d in use; want 0, 0", len(u.users), len(u.total))
	}
}
