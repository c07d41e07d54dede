package gram

import (
	"fmt"
	"testing"
)

// TestRelation pins every permission question for every relation of a
// viewer to a public and to a private owner.
func TestRelation(t *testing.T) {
	owner := func(private bool) *User { return &User{ID: "owner", Active: true, Private: private} }
	plain, mod := &User{ID: "viewer", Role: RoleUser}, &User{ID: "viewer", Role: RoleModerator}
	type rel struct {
		name   string
		viewer *User
		ties   Ties
		self   bool
	}
	rels := []rel{
		{"self", nil, Ties{}, true},
		{"follower", plain, Ties{Follows: true}, false},
		{"stranger", plain, Ties{}, false},
		{"blocked", plain, Ties{BlockedBy: true}, false},
		{"blocker", plain, Ties{Blocks: true}, false},
		{"muted", plain, Ties{Mutes: true}, false},
		{"muted follower", plain, Ties{Follows: true, Mutes: true}, false},
		{"pending", plain, Ties{Requested: true}, false},
		{"moderator", mod, Ties{}, false},
		{"blocked moderator", mod, Ties{BlockedBy: true}, false},
		{"nobody", nil, Ties{}, false},
	}
	// Columns: CanSeeProfile, CanSeeContent, InFeed, CanFollow,
	// FollowNeedsApproval, CanInteract, CanMention.
	want := map[bool]map[string]string{
		false: {
			"self": "YYYnnYY", "follower": "YYYYnYY", "stranger": "YYYYnYY", "blocked": "nnnnnnn", "blocker": "nnnnnnn",
			"muted": "YYnYnYY", "muted follower": "YYnYnYY", "pending": "YYYYnYY", "moderator": "YYYYnYY",
			"blocked moderator": "YYnnnnn", "nobody": "YYYnnnn",
		},
		true: {
			"self": "YYYnnYY", "follower": "YYYYnYY", "stranger": "YnnYYnY", "blocked": "nnnnYnn", "blocker": "nnnnYnn",
			"muted": "YnnYYnY", "muted follower": "YYnYnYY", "pending": "YnnYYnY", "moderator": "YYnYYYY",
			"blocked moderator": "YYnnYnn", "nobody": "YnnnYnn",
		},
	}
	for _, private := range []bool{false, true} {
		for _, c := range rels {
			o := owner(private)
			r := Relation{Viewer: c.viewer, Owner: o, Ties: c.ties}
			if c.self {
				r.Viewer = o
			}
			got := ""
			for _, b := range []bool{r.CanSeeProfile(), r.CanSeeContent(), r.InFeed(), r.CanFollow(),
				r.FollowNeedsApproval(), r.CanInteract(), r.CanMention()} {
				got += map[bool]string{true: "Y", false: "n"}[b]
			}
			if w := want[private][c.name]; got != w {
				t.Errorf("private=%v %s: %s; want %s (profile, content, feed, follow, approval, interact, mention)", private, c.name, got, w)
			}
		}
	}
	// A deactivated owner is hidden from everyone but itself.
	gone := &User{ID: "owner"}
	for _, v := range []*User{plain, mod, nil} {
		if r := (Relation{Viewer: v, Owner: gone}); r.CanSeeProfile() || r.InFeed() || r.CanFollow() || r.CanMention() {
			t.Errorf("viewer %v sees or reaches a deactivated account", v)
		}
	}
	if r := (Relation{Viewer: gone, Owner: gone}); !r.CanSeeProfile() {
		t.Error("a deactivated account cannot see itself")
	}
}

// TestShield: Hides is blocks either way, Quiets adds mutes, Keep drops
// the hidden ids in order.
func TestShield(t *testing.T) {
	sh := Shield{Blocked: map[string]bool{"b": true}, Muted: map[string]bool{"m": true}}
	got := fmt.Sprint(sh.Hides("b"), sh.Hides("m"), sh.Quiets("b"), sh.Quiets("m"), sh.Quiets("x"), sh.Keep([]string{"a", "b", "m", "c"}))
	if want := "true false true true false [a m c]"; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
	if got := (Shield{}).Keep([]string{"a"}); len(got) != 1 {
		t.Errorf("the zero Shield hides %v", got)
	}
}
