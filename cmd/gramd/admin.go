package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/gram"
)

// The first admin never comes from an open endpoint: it is made on the
// server's machine with "gramd admin", against the database the server
// uses (DATABASE_URL / DATA_DIR). Its actions are audited with actor "cli".

const adminUsage = `usage:
  gramd admin -h
      prints this help; gramd admin SUBCOMMAND -h too. Flags are read before the database is opened
  gramd admin create -username U -email E [-firstname F] [-lastname L] [-password-file P] [-reason R]
      creates an admin account; the password is read from -password-file or,
      without it, from the first line of standard input (never from a flag)
  gramd admin promote USERNAME [-role admin|moderator|user] [-reason R]
      sets a user's role (default admin) and ends the user's sessions
  gramd admin end-legacy-sessions
      cuts off every token of the original InstaMERN server at once: ends the sessions
      made for them and refuses every other, for good (a later import does not reopen it)`

// adminAction is a parsed admin command, run against the service.
type adminAction func(ctx context.Context, svc *gram.Service, stdout io.Writer) error

// runAdmin runs "gramd admin ARGS". The command line (and the password)
// are read before the configuration is, and the configuration before
// the database is opened: a mistake or a -h touches nothing.
func runAdmin(ctx context.Context, getenv func(string) string, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{adminUsage}
	}
	var (
		act adminAction
		err error
	)
	switch args[0] {
	case "create":
		act, err = parseCreate(args[1:], stdin)
	case "promote":
		act, err = parsePromote(args[1:])
	case "end-legacy-sessions":
		act, err = parseEndLegacy(args[1:])
	default:
		if isHelp(args[0]) {
			err = flag.ErrHelp
		} else {
			err = usagef("unknown admin command %q\n%s", args[0], adminUsage)
		}
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, adminUsage)
		return nil
	}
	if err != nil {
		return err
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	cfg.DBMaxConns = 2 // one command at a time
	a, err := app.OpenService(ctx, cfg, app.Overrides{})
	if err != nil {
		return err
	}
	defer a.Close()
	return act(ctx, a.Service, stdout)
}

// parseFlags parses args into fs; a mistake is a usage error, -h is
// flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usagef("%v\n%s", err, adminUsage)
}

func parseCreate(args []string, stdin io.Reader) (adminAction, error) {
	fs := flag.NewFlagSet("gramd admin create", flag.ContinueOnError)
	var in gram.SignupInput
	fs.StringVar(&in.Username, "username", "", "username")
	fs.StringVar(&in.Email, "email", "", "email address")
	fs.StringVar(&in.Firstname, "firstname", "Site", "first name")
	fs.StringVar(&in.Lastname, "lastname", "Admin", "last name")
	passwordFile := fs.String("password-file", "", "file holding the password")
	reason := fs.String("reason", "first admin, created with gramd admin create", "audit reason")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q\n%s", fs.Arg(0), adminUsage)
	}
	password, err := readPassword(*passwordFile, stdin)
	if err != nil {
		return nil, err
	}
	in.Password, in.PasswordConfirm = password, password
	return func(ctx context.Context, svc *gram.Service, stdout io.Writer) error {
		u, err := svc.CreateAdmin(ctx, in, *reason)
		if err != nil {
			return cliError("admin create", err)
		}
		fmt.Fprintf(stdout, "created admin %s (id %s)\n", u.Username, u.ID)
		return nil
	}, nil
}

func parsePromote(args []string) (adminAction, error) {
	fs := flag.NewFlagSet("gramd admin promote", flag.ContinueOnError)
	role := fs.String("role", gram.RoleAdmin, "admin, moderator or user")
	reason := fs.String("reason", "set with gramd admin promote", "audit reason")
	// The username may come before or after the flags.
	var names []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		names, args = append(names, fs.Arg(0)), fs.Args()[1:]
	}
	if len(names) != 1 {
		return nil, usagef("name exactly one user\n%s", adminUsage)
	}
	return func(ctx context.Context, svc *gram.Service, stdout io.Writer) error {
		u, err := svc.SetRoleByUsername(ctx, gram.CLIActor, names[0], *role, *reason)
		if err != nil {
			return cliError("admin promote", err)
		}
		fmt.Fprintf(stdout, "%s is now %s; their sessions have ended\n", u.Username, u.Role)
		return nil
	}, nil
}

func parseEndLegacy(args []string) (adminAction, error) {
	fs := flag.NewFlagSet("gramd admin end-legacy-sessions", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q\n%s", fs.Arg(0), adminUsage)
	}
	return func(ctx context.Context, svc *gram.Service, stdout io.Writer) error {
		n, err := svc.EndLegacySessions(ctx)
		if err != nil {
			return cliError("admin end-legacy-sessions", err)
		}
		fmt.Fprintf(stdout, "ended %d sessions of legacy tokens; every legacy token is refused from now on\n", n)
		return nil
	}, nil
}

// readPassword reads the password from path, or from the first line of
// stdin when path is empty. Only the line break is cut: spaces count.
func readPassword(path string, stdin io.Reader) (string, error) {
	var (
		line string
		err  error
	)
	if path != "" {
		var b []byte
		b, err = os.ReadFile(path)
		line = string(b)
	} else {
		line, err = bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if errors.Is(err, io.EOF) {
			err = nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	line, _, _ = strings.Cut(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", errors.New("no password given: use -password-file, or write it to standard input")
	}
	return line, nil
}

// cliError shows the domain's message for what the operator can fix, and
// the cause of anything else.
func cliError(cmd string, err error) error {
	if gram.ErrorCode(err) == gram.EINTERNAL {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	return fmt.Errorf("%s: %s", cmd, gram.ErrorMessage(err))
}
