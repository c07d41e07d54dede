// Command gramload measures the API under load against its performance
// targets (targets.go). It seeds a realistic dataset (internal/seed)
// unless the database already has one, starts the real API in this
// process (SQLite by default, PostgreSQL with -db postgres://...) or
// targets a running server (-url), logs in one seeded account per
// connection, and runs timed phases: a ceiling (bare net/http serving a
// pre-serialised feed page), a realistic mix, and single-endpoint phases
// for each target. It prints a Markdown report and writes results.json
// and results.md to -out.
//
//	gramload -out bench                      # SQLite in a temp dir, moderate dataset
//	gramload -db 'postgres://postgres@127.0.0.1:5432/gram_bench?sslmode=disable' -out bench
//	gramload -url http://127.0.0.1:8080 -users 100000 -phases feed,like
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/instamern/gram/internal/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gramload:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	db, data, url, backend string
	seed                   seed.Config
	conns                  int
	duration, phaseDur     time.Duration
	phases                 map[string]bool
	out, cpuprofile, pprof string
	newestPosts, deepPosts int
	hashSlots              int
	synchronous            string
}

func parseFlags(args []string, errOut io.Writer) (*config, error) {
	c := &config{seed: seed.Config{Users: 10_000, Posts: 100_000, Likes: 1_000_000, Comments: 200_000, Follows: 200_000,
		Stories: 2_000, Seed: 1}}
	fs := flag.NewFlagSet("gramload", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&c.db, "db", "", "database URL: postgres://... (default: SQLite at -data/gram.db)")
	fs.StringVar(&c.data, "data", "", "directory for the SQLite database and media (default: a temp dir, removed)")
	fs.StringVar(&c.url, "url", "", "load a running server instead (seeded by gramseed with the same -users)")
	fs.StringVar(&c.backend, "backend", "sqlite", "with -url: the server's backend, for the targets (sqlite or postgres)")
	seed.Flags(fs, &c.seed)
	fs.IntVar(&c.conns, "conns", 64, "concurrent connections (one logged-in user each)")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "length of the mixed phase")
	fs.DurationVar(&c.phaseDur, "phase-duration", 10*time.Second, "length of each single-endpoint phase")
	phases := fs.String("phases", "", "comma-separated phases to run (default all: ceiling,mix,feed,post,profile,like,storm,deep,home)")
	fs.StringVar(&c.out, "out", "", "directory to write results.json and results.md into")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the phases (server included when in process)")
	fs.StringVar(&c.pprof, "pprof", "", "serve net/http/pprof on this address (e.g. localhost:6060)")
	fs.IntVar(&c.hashSlots, "hash-concurrency", 0, "in process: concurrent password hashes (0: gramd's default)")
	fs.StringVar(&c.synchronous, "synchronous", "full", "in process on SQLite: SQLITE_SYNCHRONOUS, full or normal")
	fs.IntVar(&c.newestPosts, "read-posts", 1500, "newest posts to read, like and comment on")
	fs.IntVar(&c.deepPosts, "read-posts-deep", 500, "posts from 360 days back to read too")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.conns < 2 || c.duration <= 0 || c.phaseDur <= 0 {
		return nil, fmt.Errorf("need -conns >= 2 and positive durations")
	}
	c.phases = map[string]bool{}
	for p := range strings.SplitSeq(*phases, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.phases[p] = true
		}
	}
	return c, c.seed.Validate()
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	c, err := parseFlags(args, errOut)
	if err != nil {
		return err
	}
	r := &Report{Command: commandLine(args), Started: time.Now(), Machine: machine(), Conns: c.conns}
	prog := newProgress(errOut)
	t := &target{client: newClient(c.conns), users: c.seed.Users, jpeg: smallJPEG(), deep: deepCursor(time.Now())}
	sut, err := openTarget(ctx, c, r, t, prog)
	if err != nil {
		return err
	}
	defer sut.close()
	if err := runPhases(ctx, c, r, t, sut, prog); err != nil {
		return err
	}
	r.finish()
	r.Markdown(out)
	return r.write(c.out)
}

// commandLine quotes the arguments for the report.
func commandLine(args []string) string {
	parts := []string{"gramload"}
	for _, a := range args {
		if strings.ContainsAny(a, " '\"&?") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
