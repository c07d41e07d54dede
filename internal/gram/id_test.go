package gram

import (
	"fmt"
	"testing"
	"time"
)

func TestNewID(t *testing.T) {
	at := time.Date(2023, 8, 5, 10, 15, 30, 0, time.UTC)
	a, b := NewID(at), NewID(at)
	if !ValidID(a) || !ValidID(b) {
		t.Fatalf("ids %q %q are not 24 lowercase hex", a, b)
	}
	if a == b {
		t.Fatal("two ids in the same second are equal")
	}
	if want := fmt.Sprintf("%08x", at.Unix()); a[:8] != want {
		t.Fatalf("id %q does not start with the big-endian seconds %s", a, want)
	}
	if later := NewID(at.Add(time.Second)); later <= a {
		t.Fatalf("id of a later second %q does not sort after %q", later, a)
	}
}

func TestValidID(t *testing.T) {
	for _, s := range []string{"", "64ce2202", "64CE2202aaaaaaaaaaaaaaaa", "../../../etc/passwd00000", "64ce2202aaaaaaaaaaaaaaag", "64ce2202aaaaaaaaaaaaaaaa0"} {
		if ValidID(s) {
			t.Errorf("ValidID(%q) = true", s)
		}
	}
	if !ValidID("64ce2202aaaaaaaaaaaaaaaa") {
		t.Error("valid id rejected")
	}
}
