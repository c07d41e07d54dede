package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/instamern/gram/internal/sqlstore"
)

const backupUsage = `usage:
  gramd backup -to FILE [-from URL]
      writes a consistent copy of the server's SQLite database into the new file
      FILE, while the server runs (it blocks no request); refuses an existing FILE.
      To restore: stop the server, replace the database file with FILE, remove the
      file's -wal and -shm companions, start the server (see the README).
      A PostgreSQL database is backed up with pg_dump instead.
  -to FILE    the backup file to create
  -from URL   the database to back up (default: the server's, DATABASE_URL or sqlite:DATA_DIR/gram.db)`

// pgDumpAdvice is the answer to "gramd backup" on PostgreSQL.
const pgDumpAdvice = `gramd backup copies SQLite databases; this database is PostgreSQL: back it up with pg_dump, e.g.
  pg_dump --format=custom --file=gram.dump "$DATABASE_URL"
and restore it into an empty database with
  pg_restore --no-owner --dbname="$DATABASE_URL" gram.dump`

// runBackup runs "gramd backup ARGS": the flags are read before the
// configuration and the database.
func runBackup(ctx context.Context, getenv func(string) string, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gramd backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "backup file")
	from := fs.String("from", "", "database URL")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, backupUsage)
		return nil
	case err != nil:
		return usagef("%v\n%s", err, backupUsage)
	case fs.NArg() > 0:
		return usagef("unexpected argument %q\n%s", fs.Arg(0), backupUsage)
	case *to == "":
		return usagef("backup needs -to, the file to write\n%s", backupUsage)
	}
	if *from == "" {
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		*from = cfg.DatabaseURL
	}
	start := time.Now()
	err = sqlstore.Backup(ctx, *from, *to)
	switch {
	case errors.Is(err, sqlstore.ErrNotSQLite):
		return errors.New(pgDumpAdvice)
	case err != nil:
		return fmt.Errorf("backup: %w", err)
	}
	size := int64(0)
	if fi, err := os.Stat(*to); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes) in %v\n", sqlstore.SQLitePath(*from), *to, size,
		time.Since(start).Round(time.Millisecond))
	return nil
}
