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
	for _, c := range []struct {
		name, require, want string
		fails               bool
	}{
		{name: "Skips", require: "", want: "--- SKIP"},
		{name: "FailsWhenRequired", require: "1", want: "--- FAIL", fails: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestNeed$", "-test.v")
			cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "TESTENV_SURELY_UNSET=", Require+"="+c.require)
			out, err := cmd.CombinedOutput()
			if (err != nil) != c.fails || !strings.Contains(string(out), c.want) || strings.Contains(string(out), "NOT STOPPED") {
				t.Errorf("child: err %v, output:\n%s", err, out)
			}
		})
	}
}
