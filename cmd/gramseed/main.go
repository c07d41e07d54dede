// Command gramseed bulk-loads a synthetic but realistic dataset (users,
// posts, likes, follows) into a gram database, for query plans and load
// tests: multi-row INSERTs in big transactions on SQLite, COPY on
// PostgreSQL. Posts' like counts match the likes loaded. Seeded users
// cannot log in (their password hash is a placeholder).
//
//	gramseed -db ./data/seed.db -users 100000 -posts 1000000 -likes 10000000 -follows 2000000
//	gramseed -db postgres://postgres@127.0.0.1:5432/seed?sslmode=disable ...
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/instamern/gram/internal/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gramseed:", err)
		os.Exit(1)
	}
}

// config is the dataset to load.
type config struct {
	db                           string
	users, posts, likes, follows int
	seed                         uint64
	now                          time.Time
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("gramseed", flag.ContinueOnError)
	fs.StringVar(&c.db, "db", "./data/seed.db", "database URL: a SQLite path or postgres://...")
	fs.IntVar(&c.users, "users", 100_000, "number of users")
	fs.IntVar(&c.posts, "posts", 1_000_000, "number of posts")
	fs.IntVar(&c.likes, "likes", 10_000_000, "approximate number of likes")
	fs.IntVar(&c.follows, "follows", 1_000_000, "approximate number of follows")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed (the same seed gives the same data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.users < 2 || c.posts < 0 || c.likes < 0 || c.follows < 0 {
		return fmt.Errorf("need at least 2 users and non-negative counts")
	}
	c.now = time.Now().UTC().Truncate(time.Millisecond)
	s, err := sqlstore.Open(ctx, c.db, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := newLoader(ctx, s)
	if err != nil {
		return err
	}
	d := newDataset(c)
	for _, src := range d.sources() {
		start := time.Now()
		n, err := l.load(ctx, src)
		if err != nil {
			return fmt.Errorf("load %s: %w", src.table, err)
		}
		fmt.Fprintf(out, "%-8s %10d rows in %v\n", src.table, n, time.Since(start).Round(time.Millisecond))
	}
	start := time.Now()
	if err := l.analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "analyze  in %v\n", time.Since(start).Round(time.Millisecond))
	return nil
}
