package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNeed runs a child test binary with the variable missing, once
// without and once with GRAM_TEST_REQUIRE=1: the first skips, the second
// fails.
func TestNeed(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Need(t, "TESTENV_SURELY_UNSET")
		t.Log("NOT STOPPED")
		return
	}
	t.Setenv("TESTENV_SET", "x")
	if got := Need(t, "TESTENV_SET"); got != "x" {
		t.Fatalf("Need = %q, want the value", got)
	}
	skipsOrFails(t, "^TestNeed$", "TESTENV_SURELY_UNSET=")
}

// skipsOrFails runs the test named by pattern in a child test binary
// (TESTENV_CHILD=1) with env added, once without and once with
// GRAM_TEST_REQUIRE=1: the first must skip, the second fail.
func skipsOrFails(t *testing.T, pattern string, env ...string) {
	t.Helper()
	for _, c := range []struct {
		name, require, want string
		fails               bool
	}{
		{name: "Skips", require: "", want: "--- SKIP"},
		{name: "FailsWhenRequired", require: "1", want: "--- FAIL", fails: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.v")
			cmd.Env = append(append(os.Environ(), env...), "TESTENV_CHILD=1", Require+"="+c.require)
			out, err := cmd.CombinedOutput()
			if (err != nil) != c.fails || !strings.Contains(string(out), c.want) || strings.Contains(string(out), "NOT STOPPED") {
				t.Errorf("child: err %v, output:\n%s", err, out)
			}
		})
	}
}

// TestNeedCommand: a program on the PATH is found; a missing one skips,
// or fails under GRAM_TEST_REQUIRE=1.
func TestNeedCommand(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		NeedCommand(t, "testenv-surely-not-a-program")
		t.Log("NOT STOPPED")
		return
	}
	if got := NeedCommand(t, "go"); !strings.HasSuffix(got, "go") {
		t.Fatalf("NeedCommand(go) = %q, want its path", got)
	}
	skipsOrFails(t, "^TestNeedCommand$")
}

func TestDoubledPrefix(t *testing.T) {
	tests := []struct{ msg, want string }{
		{"mail: mail: bad address", "mail"},
		{"mail: MAIL_FROM: mail: bad from address: no angle-addr", "mail"},
		{"config: MAIL_URL: ses needs a region: ses:REGION", ""},
		{"blob: media URL: \"s3:/bucket\" is malformed: want s3://BUCKET", ""},
		{"Blob: blob: x", "blob"},
	}
	for _, tt := range tests {
		if got := DoubledPrefix(tt.msg); got != tt.want {
			t.Errorf("DoubledPrefix(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
