package gram

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// IDs are 24 lowercase hex characters in MongoDB ObjectId layout: 4 bytes
// of Unix seconds, 5 random bytes fixed per process, and a 3-byte counter.
// They are time-sortable, URL-safe and identical in form to the original
// API's ids, so imported data keeps its ids.

var (
	idProcess = randomBytes(5)
	idCounter = newIDCounter()
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	return b
}

func newIDCounter() *atomic.Uint32 {
	c := new(atomic.Uint32)
	c.Store(binary.BigEndian.Uint32(randomBytes(4)))
	return c
}

// NewID returns a new id for time t.
func NewID(t time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(t.Unix()))
	copy(b[4:9], idProcess)
	c := idCounter.Add(1)
	b[9], b[10], b[11] = byte(c>>16), byte(c>>8), byte(c)
	return hex.EncodeToString(b[:])
}

// ValidID reports whether s has the form of an id (24 lowercase hex).
func ValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Secrets (session ids, the tokens of reset and confirmation links) are
// random hex; only the SHA-256 of a link's token is stored.

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	return hex.EncodeToString(randomBytes(n))
}

// sha256Hex returns the hex SHA-256 of s.
func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
