// Package testenv decides what a test does when a real server it needs
// (PostgreSQL, Redis, S3, SMTP, SES) is not configured: skip on a
// developer's machine, fail where GRAM_TEST_REQUIRE=1. scripts/test.sh
// (and so CI) sets it, so a missing or misconfigured service can never
// pass as a quiet skip.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Require names the variable that turns skips for missing services into
// failures.
const Require = "GRAM_TEST_REQUIRE"

// skipOrFail skips tb, or fails it under GRAM_TEST_REQUIRE=1.
func skipOrFail(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv(Require) == "1" {
		tb.Fatal(msg + " (" + Require + "=1: a missing service is a failure)")
	}
	tb.Skip(msg)
}

// NeedCommand skips tb, or fails it under GRAM_TEST_REQUIRE=1, unless the
// program is on the PATH. It returns the program's path.
func NeedCommand(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(tb, name+" is not installed: .ci/run installs it")
	}
	return path
}

// Need skips tb, or fails it under GRAM_TEST_REQUIRE=1, unless every
// variable in keys is set to something other than "" or "0". It returns
// the first one's value.
func Need(tb testing.TB, keys ...string) string {
	tb.Helper()
	for _, k := range keys {
		if v := os.Getenv(k); v == "" || v == "0" {
			skipOrFail(tb, k+" is not set: scripts/test.sh starts the test servers and sets it")
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return os.Getenv(keys[0])
}
