package main

import (
	"fmt"
	"io"

	"github.com/instamern/gram/internal/app"
)

const configUsage = `usage:
  gramd config check
      validates the environment (and .env in development) as gramd serve would,
      and prints every setting's effective value and where it came from, secrets masked;
      exits 1 when the configuration is refused`

// runConfig runs "gramd config ARGS".
func runConfig(getenv func(string) string, args []string, stdout io.Writer) error {
	switch {
	case len(args) == 0:
		return usagef("gramd config needs a subcommand\n%s", configUsage)
	case isHelp(args[0]):
		fmt.Fprintln(stdout, configUsage)
		return nil
	case args[0] != "check":
		return usagef("unknown config command %q\n%s", args[0], configUsage)
	case len(args) > 1 && isHelp(args[1]):
		fmt.Fprintln(stdout, configUsage)
		return nil
	case len(args) > 1:
		return usagef("gramd config check takes no arguments, not %q", args[1])
	}
	cfg, err := loadConfig(getenv)
	app.WriteEffective(stdout, cfg) // what was read, also when it is refused
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintln(stdout, "warning:", w)
	}
	fmt.Fprintln(stdout, "configuration ok")
	return nil
}
