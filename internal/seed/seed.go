// Package seed bulk-loads a synthetic but realistic dataset (users,
// skewed follows, posts, likes, comments, stories) into a gram database
// for query plans and load tests: multi-row INSERTs in big transactions
// on SQLite, COPY on PostgreSQL. Counters (posts.like_count,
// posts.comment_count) match the rows loaded.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
)

// Config is the dataset to load. The same Seed gives the same rows (ids
// aside, which carry the process's random bytes).
type Config struct {
	Users, Posts, Likes, Comments, Follows, Stories int
	Seed                                            uint64
	Now                                             time.Time // zero: time.Now
	// PasswordHash is every user's hash, computed once: hashing each of
	// 100,000 users would take over an hour. Empty: no password matches.
	PasswordHash string
}

// Password is the password of every seeded user when the hash comes from
// HashPassword.
const Password = "seed-password-123"

// HashPassword hashes Password with h, for Config.PasswordHash.
func HashPassword(ctx context.Context, h *gram.Hasher) (string, error) { return h.Hash(ctx, Password) }

// noLogin is the hash of users seeded without a PasswordHash: no
// password verifies against it until EnableLogins replaces it.
const noLogin = "seed-no-login"

// EnableLogins gives the users seeded without a password hash the given
// one, so that a database seeded that way can be logged into.
func EnableLogins(ctx context.Context, s *sqlstore.Store, hash string) error {
	q := `UPDATE users SET password_hash = ? WHERE password_hash = ?`
	if s.Dialect() == "postgres" {
		q = `UPDATE users SET password_hash = $1 WHERE password_hash = $2`
	}
	_, err := s.DB().ExecContext(ctx, q, hash, noLogin)
	return err
}

// Validate checks the sizes.
func (c Config) Validate() error {
	if c.Users < 2 {
		return errors.New("seed: need at least 2 users")
	}
	if c.Posts < 0 || c.Likes < 0 || c.Comments < 0 || c.Follows < 0 || c.Stories < 0 {
		return errors.New("seed: counts must not be negative")
	}
	return nil
}

// Options observe a load.
type Options struct {
	Warn    func(msg string)  // non-fatal problems; nil ignores them
	Started func(src *Source) // called as each table starts, e.g. to show progress
}

// Table reports one loaded table.
type Table struct {
	Name string
	Rows int64
	Took time.Duration
}

// Load generates the dataset and writes it into s (which should be
// empty), then refreshes the planner's statistics. On SQLite it turns off
// durability and foreign-key checks on s's writer connection while it
// loads, and turns them back on at the end.
func Load(ctx context.Context, s *sqlstore.Store, c Config, o Options) ([]Table, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.UTC().Truncate(time.Millisecond)
	if c.PasswordHash == "" {
		c.PasswordHash = noLogin
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	l, err := newLoader(ctx, s, o.Warn)
	if err != nil {
		return nil, err
	}
	defer func() { _ = l.restore(context.WithoutCancel(ctx)) }()
	var out []Table
	for _, src := range newDataset(c).sources() {
		if o.Started != nil {
			o.Started(src)
		}
		start := time.Now()
		n, err := l.load(ctx, src)
		if err != nil {
			return out, fmt.Errorf("seed: load %s: %w", src.Table, err)
		}
		out = append(out, Table{Name: src.Table, Rows: n, Took: time.Since(start)})
	}
	start := time.Now()
	if err := l.analyze(ctx); err != nil {
		return out, fmt.Errorf("seed: analyze: %w", err)
	}
	return append(out, Table{Name: "analyze", Took: time.Since(start)}), nil
}
