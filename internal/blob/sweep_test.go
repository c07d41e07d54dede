package blob_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
)

func TestSweep(t *testing.T) {
	refs := map[string]bool{"u/1/kept.jpg": true}
	isRef := func(key string) (bool, error) { return refs[key], nil }
	future, past := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)

	tests := []struct {
		name      string
		prefix    string
		olderThan time.Time
		wantN     int
		wantLeft  []string
	}{
		{"DeletesUnreferenced", "u/", future, 2, []string{"u/1/kept.jpg", "v/orphan.jpg"}},
		{"GracePeriodKeepsNew", "u/", past, 0, []string{"u/1/kept.jpg", "u/1/orphan.jpg", "u/2/orphan.jpg", "v/orphan.jpg"}},
		{"OnlyUnderPrefix", "u/1/", future, 1, []string{"u/1/kept.jpg", "u/2/orphan.jpg", "v/orphan.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := blob.NewMem("")
			for _, k := range []string{"u/1/kept.jpg", "u/1/orphan.jpg", "u/2/orphan.jpg", "v/orphan.jpg"} {
				m.Put(t.Context(), k, strings.NewReader("x"), 1, "image/jpeg")
			}
			n, err := blob.Sweep(t.Context(), m, tt.prefix, tt.olderThan, isRef)
			if err != nil || n != tt.wantN {
				t.Errorf("Sweep = %d, %v; want %d, nil", n, err, tt.wantN)
			}
			infos, _ := m.List(t.Context(), "")
			var left []string
			for _, i := range infos {
				left = append(left, i.Key)
			}
			if !slices.Equal(left, tt.wantLeft) {
				t.Errorf("left %q, want %q", left, tt.wantLeft)
			}
		})
	}

	t.Run("LookupErrorStops", func(t *testing.T) {
		m := blob.NewMem("")
		m.Put(t.Context(), "u/a.jpg", strings.NewReader("x"), 1, "image/jpeg")
		boom := errors.New("db down")
		n, err := blob.Sweep(t.Context(), m, "u/", future, func(string) (bool, error) { return false, boom })
		if n != 0 || !errors.Is(err, boom) {
			t.Errorf("Sweep = %d, %v; want 0 and the lookup error", n, err)
		}
		if _, err := m.Head(t.Context(), "u/a.jpg"); err != nil {
			t.Errorf("object deleted despite the failed lookup: %v", err)
		}
	})
}

// TestSweeper_SweepsSoonAfterStart: the first pass comes within First,
// not after Every, so a server restarted more often than Every sweeps.
func TestSweeper_SweepsSoonAfterStart(t *testing.T) {
	m := blob.NewMem("")
	m.Put(t.Context(), "users/u1/posts/orphan.jpg", strings.NewReader("x"), 1, "image/jpeg")
	s := &blob.Sweeper{Blobs: m, Prefix: "users/", Grace: time.Nanosecond, First: 100 * time.Millisecond, Every: time.Hour,
		Referenced: func(context.Context, string) (bool, error) { return false, nil }}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := m.Head(t.Context(), "users/u1/posts/orphan.jpg"); errors.Is(err, gram.ErrNotFound) {
			return
		}
	}
	t.Fatal("the orphan was not swept within 5s of the start (First is 100ms)")
}
