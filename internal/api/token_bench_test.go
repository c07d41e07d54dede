package api

import (
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// BenchmarkTokenVerify measures the JWT check every authenticated request
// pays before its session lookup: with the current secret, and with a
// token signed by a rotated-out secret (tried second).
func BenchmarkTokenVerify(b *testing.B) {
	now := time.Now()
	ss := &gram.Session{ID: gram.NewID(now) + "0123456789abcdef", UserID: gram.NewID(now), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	current := newTokens([]string{"current-secret-0123456789abcdef0123456789"}, time.Hour)
	old := newTokens([]string{"old-secret-0123456789abcdef0123456789abcd"}, time.Hour)
	both := newTokens([]string{"current-secret-0123456789abcdef0123456789", "old-secret-0123456789abcdef0123456789abcd"}, time.Hour)
	for _, bc := range []struct {
		name   string
		signer *tokens
	}{{"current", current}, {"rotated", old}} {
		raw, err := bc.signer.sign(ss)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, _, err := both.verify(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
