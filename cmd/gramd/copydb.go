package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/instamern/gram/internal/sqlstore"
)

const copyDBUsage = `usage:
  gramd copy-db [-from URL] -to URL [-resume] [-batch N] [-quiet]
      copies every table of a gram database into another, in key order and in
      batches, then compares the row counts of every table on both sides and
      exits 1 if any differ. Stop the server first: rows written to the source
      during the copy are not copied. The target is migrated first; media
      files are not copied (they stay where MEDIA_URL points).
  -from URL   the database to copy (default: the server's, DATABASE_URL or sqlite:DATA_DIR/gram.db)
  -to URL     the database to copy into: postgres://... or sqlite:PATH; it must hold no rows unless -resume
  -resume     go on with a copy that stopped (interrupted or failed): each table continues
              after the last row the target holds, and no row is copied twice
  -batch N    rows per batch, each written in one transaction (default 1000, at most 10000)
  -quiet      no progress lines on standard error`

// copyDB is a parsed "gramd copy-db" command line.
type copyDB struct {
	from, to string
	opt      sqlstore.CopyOptions
	quiet    bool
}

// runCopyDB runs "gramd copy-db ARGS": the flags are read before any
// database is opened.
func runCopyDB(ctx context.Context, getenv func(string) string, args []string, stdout, stderr io.Writer) error {
	c, err := parseCopyDB(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, copyDBUsage)
		return nil
	}
	if err != nil {
		return err
	}
	if c.from == "" {
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		c.from = cfg.DatabaseURL
	}
	if err := c.check(); err != nil {
		return err
	}
	return c.run(ctx, stdout, stderr)
}

func parseCopyDB(args []string) (copyDB, error) {
	var c copyDB
	fs := flag.NewFlagSet("gramd copy-db", flag.ContinueOnError)
	fs.StringVar(&c.from, "from", "", "source database URL")
	fs.StringVar(&c.to, "to", "", "target database URL")
	fs.BoolVar(&c.opt.Resume, "resume", false, "continue a copy that stopped")
	fs.IntVar(&c.opt.Batch, "batch", 1000, "rows per batch")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress lines")
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return c, err
	case err != nil:
		return c, usagef("%v\n%s", err, copyDBUsage)
	case fs.NArg() > 0:
		return c, usagef("unexpected argument %q\n%s", fs.Arg(0), copyDBUsage)
	case c.to == "":
		return c, usagef("copy-db needs -to, the database to copy into\n%s", copyDBUsage)
	case c.opt.Batch < 1 || c.opt.Batch > 10_000:
		return c, usagef("-batch must be between 1 and 10000, not %d", c.opt.Batch)
	}
	return c, nil
}

// check refuses a source that does not exist and a target that is the
// source, before either is opened (opening a SQLite path creates it).
func (c copyDB) check() error {
	src, dst := sqlstore.SQLitePath(c.from), sqlstore.SQLitePath(c.to)
	if src != "" {
		if _, err := os.Stat(src); err != nil {
			return fmt.Errorf("copy-db: the source database: %w", err)
		}
	}
	same := c.from == c.to
	if src != "" && dst != "" {
		a, _ := filepath.Abs(src)
		b, _ := filepath.Abs(dst)
		same = a == b
	}
	if same {
		return usagef("copy-db: -from and -to name the same database")
	}
	return nil
}

// run opens both databases (migrating the target) and copies.
func (c copyDB) run(ctx context.Context, stdout, stderr io.Writer) error {
	src, err := sqlstore.Open(ctx, c.from, sqlstore.Options{MaxOpenConns: 2})
	if err != nil {
		return fmt.Errorf("copy-db: open the source: %w", err)
	}
	defer src.Close()
	dst, closeDst, err := openCopyTarget(ctx, c.to)
	if err != nil {
		return fmt.Errorf("copy-db: open the target: %w", err)
	}
	defer closeDst()
	if !c.quiet {
		c.opt.Progress = progressPrinter(stderr)
	}
	start := time.Now()
	rep, err := sqlstore.Copy(ctx, src, dst, c.opt)
	if rep.Finish != "" {
		fmt.Fprintln(stderr, "copy-db:", rep.Finish)
	}
	if err == nil || errors.Is(err, sqlstore.ErrCountMismatch) {
		writeCounts(stdout, rep.Counts, time.Since(start))
	}
	if errors.Is(err, sqlstore.ErrTargetNotEmpty) {
		return fmt.Errorf("copy-db: %w: to go on with a copy that stopped, add -resume", err)
	}
	if err != nil && !errors.Is(err, sqlstore.ErrCountMismatch) {
		return fmt.Errorf("copy-db: %w\n(run the same command with -resume to go on where it stopped)", err)
	}
	if err != nil {
		return fmt.Errorf("copy-db: %w", err)
	}
	return nil
}

// openCopyTarget opens the database copy-db writes to, by its URL. The
// SQL stores (postgres://, sqlite:) are sqlstore.CopySinks themselves; a
// store of another kind (mongodb://) plugs in here with its own.
func openCopyTarget(ctx context.Context, url string) (sqlstore.CopySink, func() error, error) {
	if strings.HasPrefix(url, "mongodb://") || strings.HasPrefix(url, "mongodb+srv://") {
		return nil, nil, errors.New("copying to MongoDB is not supported yet: use postgres://... or sqlite:PATH")
	}
	s, err := sqlstore.Open(ctx, url, sqlstore.Options{MaxOpenConns: 2})
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// progressPrinter returns a CopyOptions.Progress that prints a table's
// progress at most every second, and once when the table is done.
func progressPrinter(w io.Writer) func(table string, copied, total int64) {
	var (
		last      time.Time
		lastTable string
		lastDone  int64 = -1
	)
	return func(table string, copied, total int64) {
		done := copied >= total
		if table == lastTable && copied == lastDone || !done && time.Since(last) < time.Second {
			return
		}
		last, lastTable, lastDone = time.Now(), table, copied
		fmt.Fprintf(w, "copy-db: %-17s %10d / %d rows\n", table, copied, total)
	}
}

// writeCounts prints every table's row count on both sides.
func writeCounts(w io.Writer, counts []sqlstore.TableCount, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource\ttarget\t\t")
	var rows int64
	for _, c := range counts {
		mark := ""
		if c.Source != c.Target {
			mark = "MISMATCH"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", c.Table, c.Source, c.Target, mark)
		rows += c.Source
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "%d rows in the source, checked on the target, in %v\n", rows, took.Round(time.Millisecond))
}
