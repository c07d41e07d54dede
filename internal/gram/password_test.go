package gram

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

var cheap = Argon2Params{Memory: 64, Time: 1, Threads: 1}

func TestHasher(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(cheap, 2)
	hash, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", hash)
	}
	legacy, _ := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	xssCleaned, _ := bcrypt.GenerateFromPassword([]byte("a&lt;b12345"), bcrypt.MinCost)
	tests := []struct {
		name, hash, password string
		ok, upgrade          bool
	}{
		{"argon2 match", hash, "correct horse", true, false},
		{"argon2 mismatch", hash, "wrong horse", false, false},
		{"argon2 other params upgrade", mustHash(t, NewHasher(Argon2Params{Memory: 128, Time: 1, Threads: 1}, 1), "pw123456"), "pw123456", true, true},
		{"bcrypt match upgrades", string(legacy), "correct horse", true, true},
		{"bcrypt mismatch", string(legacy), "nope", false, true},
		{"bcrypt xss-clean quirk", string(xssCleaned), "a<b12345", true, true},
		{"garbage hash", "$argon2id$nonsense", "x", false, false},
		{"empty hash", "", "x", false, false},
		{"absurd cost refused", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5", "x", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, upgrade, err := h.Verify(ctx, tt.hash, tt.password)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok || (tt.ok && upgrade != tt.upgrade) {
				t.Fatalf("Verify = ok %v upgrade %v; want ok %v upgrade %v", ok, upgrade, tt.ok, tt.upgrade)
			}
		})
	}
}

func mustHash(t *testing.T, h *Hasher, pw string) string {
	t.Helper()
	s, err := h.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHasher_Bounded checks that no more than the configured number of
// hashes run at once, and that a waiter gives up with its context.
func TestHasher_Bounded(t *testing.T) {
	h := NewHasher(cheap, 1)
	if err := h.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "x"); err == nil {
		t.Fatal("Hash ran while the only slot was taken")
	}
	h.release()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := h.Hash(context.Background(), "x"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkHash(b *testing.B) {
	ctx := context.Background()
	b.Run("argon2id-owasp", func(b *testing.B) {
		h := NewHasher(OWASPArgon2, 0)
		for b.Loop() {
			_, _ = h.Hash(ctx, "correct horse battery")
		}
	})
	b.Run("bcrypt-12", func(b *testing.B) {
		for b.Loop() {
			_, _ = bcrypt.GenerateFromPassword([]byte("correct horse battery"), 12)
		}
	})
}

// owaspArgon2 are OWASP's equivalent argon2id settings (Password Storage
// Cheat Sheet), all p=1: same protection, different memory/time trade.
var owaspArgon2 = []Argon2Params{
	{Memory: 47104, Time: 1, Threads: 1},
	{Memory: 19456, Time: 2, Threads: 1},
	{Memory: 12288, Time: 3, Threads: 1},
	{Memory: 9216, Time: 4, Threads: 1},
	{Memory: 7168, Time: 5, Threads: 1},
}

// BenchmarkVerify measures what a login pays: one verification, for each
// OWASP argon2id setting and for bcrypt cost 12 (the original's). The
// chosen argon2id setting must verify at >= 10x bcrypt-12's throughput.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	const pw = "correct horse battery"
	for _, p := range owaspArgon2 {
		h := NewHasher(p, 1)
		hash, err := h.Hash(ctx, pw)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("argon2id-m%d-t%d", p.Memory, p.Time), func(b *testing.B) {
			for b.Loop() {
				if ok, _, _ := h.Verify(ctx, hash, pw); !ok {
					b.Fatal("no match")
				}
			}
		})
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(pw), 12)
	b.Run("bcrypt-12", func(b *testing.B) {
		for b.Loop() {
			if bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil {
				b.Fatal("no match")
			}
		}
	})
}

// TestHasher_BoundedConcurrency: with every slot taken, both Hash and
// Verify wait (and give up with their context); many concurrent calls
// never run more than the semaphore size at once; the default size is
// the number of CPUs.
func TestHasher_BoundedConcurrency(t *testing.T) {
	const slots = 3
	h := NewHasher(Argon2Params{Memory: 4 * 1024, Time: 1, Threads: 1}, slots)
	hash := mustHash(t, h, "tulip-orbit-42")
	for range slots {
		if err := h.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Hash with all slots taken: %v, want it to wait and time out", err)
	}
	if _, _, err := h.Verify(ctx, hash, "tulip-orbit-42"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Verify with all slots taken: %v, want it to wait and time out", err)
	}
	for range slots {
		h.release()
	}

	// 24 concurrent calls; a sampler watches how many hold a slot.
	var peak atomic.Int32
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n := int32(len(h.sem)); n > peak.Load() {
				peak.Store(n)
			}
			runtime.Gosched()
		}
	}()
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = h.Hash(context.Background(), "tulip-orbit-42")
			} else {
				_, _, err = h.Verify(context.Background(), hash, "tulip-orbit-42")
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	if p := peak.Load(); p > slots || p == 0 {
		t.Fatalf("peak concurrent hashes %d, want between 1 and %d", p, slots)
	}
	if c, want := cap(NewHasher(cheap, 0).sem), max(1, runtime.NumCPU()/2); c != want {
		t.Fatalf("default concurrency %d, want half the CPUs, at least one: %d", c, want)
	}
}
