// Command gramseed bulk-loads a synthetic but realistic dataset (users,
// Zipf-skewed follows, posts, likes, comments, stories) into a gram
// database, for query plans and load tests (internal/seed does the work).
// Every seeded user can log in with seed.Password ("seed-password-123");
// all share one precomputed hash.
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

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gramseed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	c := seed.Config{Users: 100_000, Posts: 1_000_000, Likes: 10_000_000, Comments: 1_000_000, Follows: 1_000_000,
		Stories: 10_000, Seed: 1}
	fs := flag.NewFlagSet("gramseed", flag.ContinueOnError)
	db := fs.String("db", "./data/seed.db", "database URL: a SQLite path or postgres://...")
	seed.Flags(fs, &c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, *db, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if c.PasswordHash, err = seed.HashPassword(ctx, gram.NewHasher(gram.OWASPArgon2, 1)); err != nil {
		return err
	}
	tables, err := seed.Load(ctx, s, c, seed.Options{Warn: func(m string) { fmt.Fprintln(errOut, "gramseed:", m) }})
	for _, t := range tables {
		fmt.Fprintf(out, "%-8s %10d rows in %v\n", t.Name, t.Rows, t.Took.Round(time.Millisecond))
	}
	return err
}
