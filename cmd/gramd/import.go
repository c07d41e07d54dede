package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/instamern/gram/internal/legacy"
	"github.com/instamern/gram/internal/sqlstore"
)

const importUsage = `usage:
  gramd import instamern (-from mongodb://HOST/DB | -from-dump DIR) [-to URL] [-batch N] [-log FILE] [-quiet]
      imports an InstaMERN deployment: every user (with the followers,
      followings and notifications its document holds), post (with its likes),
      comment and story, keeping every ObjectId as the id, bcrypt password
      hashes as they are (upgraded at each user's first login) and photo URLs
      as they are (the original's S3 objects keep serving them). Records that
      break a rule are repaired when the repair is obvious and skipped
      otherwise, and the report counts both per collection. Running it again
      writes only what is not there yet.
  -from URL       the original's MongoDB: mongodb://[USER:PASSWORD@]HOST[:PORT]/DATABASE[?OPTIONS]
  -from-dump DIR  a mongodump output directory instead (the database's folder of COLLECTION.bson
                  or .bson.gz files, or the folder above it)
  -to URL         the database to import into (default: the server's, DATABASE_URL or
                  sqlite:DATA_DIR/gram.db): postgres://... or sqlite:PATH
  -batch N        records per transaction (default 1000, at most 10000)
  -log FILE       write one line per skipped or repaired record to FILE
  -quiet          no progress lines on standard error`

// importCmd is a parsed "gramd import instamern" command line.
type importCmd struct {
	from, dump, to, logPath string
	batch                   int
	quiet                   bool
}

// runImport runs "gramd import ARGS".
func runImport(ctx context.Context, getenv func(string) string, args []string, stdout, stderr io.Writer) error {
	c, err := parseImport(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, importUsage)
		return nil
	}
	if err != nil {
		return err
	}
	if c.to == "" {
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		c.to = cfg.DatabaseURL
	}
	return c.run(ctx, stdout, stderr)
}

func parseImport(args []string) (importCmd, error) {
	var c importCmd
	if len(args) > 0 && isHelp(args[0]) {
		return c, flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "instamern" {
		return c, usagef("gramd import imports from one kind of source: gramd import instamern ...\n%s", importUsage)
	}
	fs := flag.NewFlagSet("gramd import instamern", flag.ContinueOnError)
	fs.StringVar(&c.from, "from", "", "the original's MongoDB URL")
	fs.StringVar(&c.dump, "from-dump", "", "a mongodump directory")
	fs.StringVar(&c.to, "to", "", "target database URL")
	fs.IntVar(&c.batch, "batch", 1000, "records per transaction")
	fs.StringVar(&c.logPath, "log", "", "file of skipped and repaired records")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress lines")
	fs.SetOutput(io.Discard)
	err := fs.Parse(args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		return c, err
	case err != nil:
		return c, usagef("%v\n%s", err, importUsage)
	case fs.NArg() > 0:
		return c, usagef("unexpected argument %q\n%s", fs.Arg(0), importUsage)
	case (c.from == "") == (c.dump == ""):
		return c, usagef("import needs one source: -from mongodb://HOST/DB or -from-dump DIR\n%s", importUsage)
	case c.batch < 1 || c.batch > 10_000:
		return c, usagef("-batch must be between 1 and 10000, not %d", c.batch)
	case strings.HasPrefix(c.to, "mongodb://") || strings.HasPrefix(c.to, "mongodb+srv://"):
		return c, usagef("importing into MongoDB is not supported yet: use postgres://... or sqlite:PATH")
	}
	return c, nil
}

// run opens the source and the target (migrating it), imports and
// prints the report.
func (c importCmd) run(ctx context.Context, stdout, stderr io.Writer) error {
	var (
		src  legacy.Source
		name string
		err  error
	)
	if c.dump != "" {
		src, err = legacy.OpenDump(c.dump)
		name = "dump " + c.dump
	} else {
		src, err = legacy.OpenMongo(ctx, c.from)
		name = redactURL(c.from)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer src.Close(context.WithoutCancel(ctx))
	store, err := sqlstore.Open(ctx, c.to, sqlstore.Options{MaxOpenConns: 2})
	if err != nil {
		return fmt.Errorf("import: open the target: %w", err)
	}
	defer store.Close()
	opt := legacy.Options{Batch: c.batch, Media: "photos keep their original URLs (served as they are, not copied)"}
	if c.logPath != "" {
		f, err := os.Create(c.logPath)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		opt.Log = f
	}
	if !c.quiet {
		opt.Progress = importProgress(stderr)
	}
	rep, err := legacy.Import(ctx, src, store, opt)
	rep.Source, rep.Target = name, redactURL(c.to)
	rep.Write(stdout)
	if err != nil {
		return fmt.Errorf("import: %w (what was written stays: run the same command again to go on)", err)
	}
	return nil
}

// redactURL hides the password of a database URL.
func redactURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	at := strings.LastIndex(rest, "@")
	if !ok || at < 0 {
		return s
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":***" + rest[at:]
}

// importProgress prints a collection's progress at most every second, and
// once when it is read.
func importProgress(w io.Writer) func(coll string, read, total int64) {
	var last time.Time
	return func(coll string, read, total int64) {
		if read < total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "import: %-9s %10d / %d documents\n", coll, read, total)
	}
}
