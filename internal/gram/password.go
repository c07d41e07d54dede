package gram

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Argon2Params are argon2id cost parameters.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// OWASPArgon2 is the fastest of OWASP's equivalent argon2id settings on
// our machines (7 MiB, t=5, p=1; the cheat sheet lists m=47104 t=1 down to
// m=7168 t=5 as equal protection): the smallest memory stays in cache.
// BenchmarkVerify measures all five against bcrypt cost 12; see
// docs/benchmarks.md. Hashes made with other parameters still verify and
// are re-hashed at these on the next login.
var OWASPArgon2 = Argon2Params{Memory: 7 * 1024, Time: 5, Threads: 1}

// Hasher hashes and verifies passwords. New hashes are argon2id; bcrypt
// hashes (imported from the original) verify and report that they need an
// upgrade. At most a bounded number of hashes run at once, so a login storm
// queues instead of starving the rest of the API of CPU and memory.
type Hasher struct {
	params Argon2Params
	sem    chan struct{}
	// Waited, when set (before the hasher is used), hears how long each
	// hash or verification waited for its turn, for monitoring.
	Waited func(wait time.Duration)
}

// NewHasher returns a hasher allowing concurrency hashes at once (0 =
// half the CPUs, at least one: a login storm then leaves the other half
// to the rest of the API, which keeps the feed's p99 low while logins
// queue).
func NewHasher(p Argon2Params, concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = max(1, runtime.NumCPU()/2)
	}
	return &Hasher{params: p, sem: make(chan struct{}, concurrency)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	if h.Waited != nil {
		defer func(start time.Time) { h.Waited(time.Since(start)) }(time.Now())
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := h.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, and whether the hash
// should be replaced by a fresh argon2id hash (legacy bcrypt or weaker
// parameters).
func (h *Hasher) Verify(ctx context.Context, hash, password string) (ok, upgrade bool, err error) {
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	if strings.HasPrefix(hash, "$2") {
		return verifyBcrypt(hash, password), true, nil
	}
	var p Argon2Params
	var version int
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, nil
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, false, nil
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, false, nil
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || p.Memory > 1<<20 || p.Time > 16 || p.Threads == 0 {
		return false, false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, p != h.params, nil
}

// verifyBcrypt checks a legacy hash. The original's xss-clean middleware
// rewrote "<" as "&lt;" before hashing, so a password with "<" is also
// tried in that form.
func verifyBcrypt(hash, password string) bool {
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil {
		return true
	}
	if strings.Contains(password, "<") {
		legacy := strings.ReplaceAll(password, "<", "&lt;")
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(legacy)) == nil
	}
	return false
}
