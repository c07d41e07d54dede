package api_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/instamern/gram/internal/gram"
)

// TestLoginUpgradesHash: a stored hash made with other parameters (an
// imported bcrypt hash, or argon2id from before a parameter change) still
// logs in, and the login replaces it with a hash at the current
// parameters; a wrong password leaves it alone.
func TestLoginUpgradesHash(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		current := mustHashWith(t, h.hasher, testPassword)
		currentPrefix := current[:strings.LastIndex(current[:strings.LastIndex(current, "$")], "$")+1]
		bc, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, user, stored string }{
			{"bcrypt", "upbcrypt", string(bc)},
			{"argon2id old params", "upargonold", mustHashWith(t, gram.NewHasher(gram.Argon2Params{Memory: 2048, Time: 2, Threads: 1}, 1), testPassword)},
			{"argon2id current params", "upargonnow", current},
		} {
			t.Run(tt.name, func(t *testing.T) {
				u := h.signup(t, tt.user)
				setHash(t, h, u.ID, tt.stored)
				if st, _ := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": u.Username, "password": "wrong-password"}); st != http.StatusUnauthorized {
					t.Fatalf("wrong password: %d", st)
				}
				if got := storedHash(t, h, u.ID); got != tt.stored {
					t.Fatalf("a failed login changed the hash to %q", got)
				}
				h.login(t, u.Username, testPassword)
				got := storedHash(t, h, u.ID)
				if !strings.HasPrefix(got, currentPrefix) {
					t.Fatalf("hash after login %q; want the current parameters %q", got, currentPrefix)
				}
				if (got == tt.stored) != (tt.stored == current) {
					t.Fatalf("hash replaced: %v; want replaced only when the parameters changed", got != tt.stored)
				}
				h.login(t, u.Username, testPassword) // the new hash verifies
			})
		}
	})
}

func mustHashWith(t *testing.T, hs *gram.Hasher, pw string) string {
	t.Helper()
	s, err := hs.Hash(t.Context(), pw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func setHash(t *testing.T, h *harness, id, hash string) {
	t.Helper()
	if _, err := h.store.UpdateUser(t.Context(), id, func(u *gram.User) error { u.PasswordHash = hash; return nil }); err != nil {
		t.Fatal(err)
	}
}

func storedHash(t *testing.T, h *harness, id string) string {
	t.Helper()
	u, err := h.store.UserByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.PasswordHash
}
