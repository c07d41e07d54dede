package gram

import (
	"strings"
	"testing"
)

func TestCanModerate(t *testing.T) {
	user := &User{ID: "u", Role: RoleUser}
	mod := &User{ID: "m", Role: RoleModerator}
	admin := &User{ID: "a", Role: RoleAdmin}
	for _, c := range []struct {
		name          string
		actor, target *User
		want          bool
	}{
		{"UserOnUser", user, &User{ID: "x", Role: RoleUser}, false},
		{"ModOnUser", mod, user, true},
		{"ModOnMod", mod, &User{ID: "x", Role: RoleModerator}, false},
		{"ModOnAdmin", mod, admin, false},
		{"ModOnSelf", mod, mod, false},
		{"AdminOnUser", admin, user, true},
		{"AdminOnMod", admin, mod, true},
		{"AdminOnAdmin", admin, &User{ID: "x", Role: RoleAdmin}, true},
		{"AdminOnSelf", admin, admin, false},
		{"CLIOnAdmin", CLIActor, admin, true},
		{"UnknownRoleActor", &User{ID: "r", Role: "root"}, user, false},
	} {
		if got := canModerate(c.actor, c.target); got != c.want {
			t.Errorf("%s: canModerate = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCleanReason(t *testing.T) {
	for _, c := range []struct {
		name, in, want, err string
	}{
		{"Trimmed", "  spam  ", "spam", ""},
		{"MarkupKept", "<b>spam</b>", "<b>spam</b>", ""},
		{"Empty", "", "", "Please give a reason"},
		{"OnlyControls", " \x00\x07 ", "", "Please give a reason"},
		{"AtLimit", strings.Repeat("é", ReasonMax), strings.Repeat("é", ReasonMax), ""},
		{"OverLimit", strings.Repeat("é", ReasonMax+1), "", "cannot be longer than 500"},
	} {
		got, err := cleanReason(c.in)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("%s: cleanReason = %q, %v; want %q", c.name, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(ErrorMessage(err), c.err) || ErrorCode(err) != EINVALID) {
			t.Errorf("%s: err = %v, want an invalid error containing %q", c.name, err, c.err)
		}
	}
}
