// Command gramd serves the InstaMERN API. With no configuration it runs on
// :8080 with SQLite and media under ./data and mail written to
// ./data/outbox; see the README for every setting. "gramd admin ..."
// creates admins and changes roles (see adminUsage).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/instamern/gram/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gramd:", err)
		os.Exit(1)
	}
}

// run is the whole program; tests call it with their own environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	getenv, err := app.WithDotEnv(getenv)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	cfg, err := app.Load(getenv)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	switch {
	case len(args) < 2: // no command: serve
	case args[1] == "admin":
		return runAdmin(ctx, cfg, args[2:], os.Stdin, stdout)
	default:
		return fmt.Errorf("unknown command %q: run gramd with no arguments to serve, or gramd admin\n%s", args[1], adminUsage)
	}
	return serve(ctx, cfg, stdout)
}
