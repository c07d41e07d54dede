// Command gramd serves the InstaMERN API. With no configuration it runs on
// :8080 with SQLite and media under ./data and mail written to
// ./data/outbox. "gramd help" lists the commands and every setting.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/buildinfo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal starts a graceful stop (see serve); a second one
	// gets the default behaviour, ending the process at once.
	go func() { <-ctx.Done(); stop() }()
	err := run(ctx, os.Args, os.Getenv, os.Stdout)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

const commandsHelp = `gramd serves the InstaMERN API.

Usage:
  gramd [serve]         serve the API (the default command)
  gramd version         print the version, commit and build date
  gramd config check    validate the environment and print the effective configuration, secrets masked
  gramd admin ...       create admins and change roles on the server's database (gramd admin -h)
  gramd backup -to FILE copy the server's SQLite database into FILE while it runs (gramd backup -h)
  gramd copy-db -to URL copy the server's database into another, e.g. SQLite to PostgreSQL (gramd copy-db -h)
  gramd import instamern -from mongodb://HOST/DB | -from-dump DIR
                        import an InstaMERN deployment into the server's database (gramd import -h)
  gramd help            print this help (also -h, --help)

Every setting is an environment variable; in development a .env file fills in what the
environment leaves unset. Exit status: 0 on success and help, 1 on errors, 2 on usage errors.

Environment:
`

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode reports err on stderr and returns the exit status for it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "gramd:", err)
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// run is the whole program; tests call it with their own environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd, rest := "serve", args[1:]
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch {
	case isHelp(cmd):
		return help(stdout, rest)
	case cmd == "version" || cmd == "--version":
		fmt.Fprintln(stdout, buildinfo.Get())
		return nil
	case cmd == "admin":
		return runAdmin(ctx, getenv, rest, os.Stdin, stdout)
	case cmd == "config":
		return runConfig(getenv, rest, stdout)
	case cmd == "backup":
		return runBackup(ctx, getenv, rest, stdout)
	case cmd == "copy-db":
		return runCopyDB(ctx, getenv, rest, stdout, os.Stderr)
	case cmd == "import":
		return runImport(ctx, getenv, rest, stdout, os.Stderr)
	case cmd != "serve":
		return usagef("unknown command %q: gramd help lists the commands", cmd)
	case len(rest) > 0 && isHelp(rest[0]):
		return help(stdout, nil)
	case len(rest) > 0:
		return usagef("gramd serve takes no arguments, not %q: it is configured by the environment (gramd help)", rest[0])
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout)
}

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// help writes the help of the command topic names (gramd help admin), or
// of gramd itself.
func help(w io.Writer, topic []string) error {
	if len(topic) > 0 && topic[0] == "admin" {
		fmt.Fprintln(w, adminUsage)
		return nil
	}
	if len(topic) > 0 {
		if usage, ok := map[string]string{"config": configUsage, "backup": backupUsage, "copy-db": copyDBUsage, "import": importUsage}[topic[0]]; ok {
			fmt.Fprintln(w, usage)
			return nil
		}
	}
	fmt.Fprint(w, commandsHelp)
	app.WriteSettingsHelp(w)
	return nil
}

// loadConfig reads the configuration from getenv and the .env file.
func loadConfig(getenv func(string) string) (app.Config, error) {
	getenv, err := app.WithDotEnv(getenv)
	if err != nil {
		return app.Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := app.Load(getenv)
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}
