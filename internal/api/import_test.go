package api_test

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/legacy"
	"github.com/instamern/gram/internal/legacy/legacytest"
)

// importQuirky imports the quirky InstaMERN database into h's store, as
// of h's clock, through a mongodump directory.
func importQuirky(t *testing.T, h *harness) *legacytest.Quirky {
	t.Helper()
	q := legacytest.NewQuirky(h.clock.Now())
	dir := filepath.Join(t.TempDir(), "dump")
	if err := q.WriteDump(dir); err != nil {
		t.Fatal(err)
	}
	src, err := legacy.OpenDump(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := legacy.Import(t.Context(), src, h.store, legacy.Options{Now: h.clock.Now}); err != nil {
		t.Fatal(err)
	}
	return q
}

// slowHashes gives requests the time of the original's bcrypt hashes
// (cost 12: a quarter of a second each on a free core, much more on a
// loaded test machine), which the login of an imported account verifies.
var slowHashes = withAPI(func(c *api.Config) { c.RequestTimeout = time.Minute })

// legacyToken signs a token as the original did: HS256, {id, iat, exp}.
func legacyToken(t *testing.T, secret, id string, iat, exp time.Time) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": id, "iat": iat.Unix(), "exp": exp.Unix()}).
		SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestImportedAccounts: after an import, the original's users log in with
// their bcrypt passwords (the "&lt;" one too), and see their feed, profile
// and notifications as the original showed them.
func TestImportedAccounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b, slowHashes)
		q := importQuirky(t, h)
		alice := h.login(t, "Alice", legacytest.AlicePassword)
		if got := storedHash(t, h, q.Alice.Hex()); !strings.HasPrefix(got, "$argon2id$") {
			t.Errorf("alice's hash after login: %q, want argon2id", got)
		}
		h.login(t, "alice", legacytest.AlicePassword) // the upgraded hash verifies
		h.login(t, "bob", legacytest.BobPassword)     // hashed by the original as "my&lt;pass>word9"

		st, body := h.do(t, "GET", "/instamern/posts/", alice, nil)
		if st != http.StatusOK {
			t.Fatalf("feed: %d %v", st, body)
		}
		posts := list(t, body, "data", "posts")
		if len(posts) != 2 {
			t.Fatalf("feed has %d posts, want 2: %v", len(posts), posts)
		}
		p2, p1 := posts[0].(map[string]any), posts[1].(map[string]any) // newest first
		if p1["_id"] != q.P1.Hex() || p1["photo"] != q.P1Photo || p1["postedBy"] != q.Alice.Hex() ||
			p1["like"] != 2.0 || p1["comment"] != 3.0 || p1["caption"] != "Down the <rabbit> hole" ||
			p1["postedAt"] != q.P1.Timestamp().UTC().Format("2006-01-02T15:04:05.000Z") || p2["_id"] != q.P2.Hex() {
			t.Errorf("feed = %v", posts)
		}
		if likes := anyStrings(p1["likes"]); !sameStrings(likes, q.Bob.Hex(), q.Carol.Hex()) {
			t.Errorf("p1 likes = %v", likes)
		}
		st, body = h.do(t, "GET", "/instamern/posts/"+q.P1.Hex(), alice, nil)
		if st != http.StatusOK {
			t.Fatalf("post detail: %d %v", st, body)
		}
		var texts []string
		for _, c := range list(t, body, "data", "post", "comments") {
			texts = append(texts, c.(map[string]any)["comment"].(string))
		}
		if !slices.Equal(texts, []string{"first!", "1 < 2", "third"}) {
			t.Errorf("comments = %q, want them in their order", texts)
		}
		st, body = h.do(t, "GET", "/instamern/users/username/alice", alice, nil)
		if st != http.StatusOK {
			t.Fatalf("profile: %d %v", st, body)
		}
		u := obj(t, body, "data", "user")
		if u["_id"] != q.Alice.Hex() || u["photo"] != q.AlicePhoto || u["bio"] != "I <3 rabbits" ||
			!sameStrings(anyStrings(u["followers"]), q.Bob.Hex()) ||
			!sameStrings(anyStrings(u["followings"]), q.Bob.Hex(), q.Carol.Hex()) {
			t.Errorf("alice's profile = %v", u)
		}
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", alice, nil)
		if st != http.StatusOK {
			t.Fatalf("current user: %d %v", st, body)
		}
		seen := map[string]any{}
		for _, n := range list(t, body, "data", "user", "notifications") {
			n := n.(map[string]any)
			seen[n["_id"].(string)] = n["new"]
			if n["notifiedTo"] != q.Alice.Hex() {
				t.Errorf("notification %v", n)
			}
		}
		want := map[string]any{q.N1.Hex(): true, q.N2.Hex(): true, q.N3.Hex(): false}
		if len(seen) != len(want) {
			t.Errorf("notifications: %v, want %v", seen, want)
		}
		for id, isNew := range want {
			if seen[id] != isNew {
				t.Errorf("notification %s: new = %v, want %v", id, seen[id], isNew)
			}
		}
		st, body = h.do(t, "GET", "/instamern/stories/", alice, nil)
		if groups := list(t, body, "data", "stories"); st != http.StatusOK || len(groups) != 1 {
			t.Errorf("stories: %d %v", st, body)
		}
	})
}

// TestLegacyTokens: a token of the original server, signed with its
// secret, becomes a session of its own when first seen, if it was issued
// before the import; the session is revocable, each device keeps its
// own, and the operator can cut them all off.
func TestLegacyTokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b, slowHashes)
		q := importQuirky(t, h)
		now := h.clock.Now()
		alice := q.Alice.Hex()
		phone := legacyToken(t, testSecret, alice, now.Add(-24*time.Hour), now.Add(89*24*time.Hour))
		laptop := legacyToken(t, testSecret, alice, now.Add(-48*time.Hour), now.Add(88*24*time.Hour))
		me := func(token string) int {
			st, _ := h.do(t, "GET", "/instamern/users/authorization/current-user", token, nil)
			return st
		}
		for name, tok := range map[string]string{
			"phone": phone, "laptop": laptop,
		} {
			for range 2 {
				if st := me(tok); st != http.StatusOK {
					t.Fatalf("%s's legacy token: %d", name, st)
				}
			}
		}
		ss, err := h.store.SessionsByUser(t.Context(), alice, now, 10)
		if err != nil || len(ss) != 2 {
			t.Fatalf("alice's sessions = %d, %v; want one per token", len(ss), err)
		}
		for _, s := range ss {
			if s.ExpiresAt.After(now.Add(89 * 24 * time.Hour)) {
				t.Errorf("session %s expires %v, after its token", s.ID, s.ExpiresAt)
			}
		}
		for name, tok := range map[string]string{
			"issued after the import": legacyToken(t, testSecret, alice, now.Add(time.Minute), now.Add(time.Hour)),
			"expired":                 legacyToken(t, testSecret, alice, now.Add(-91*24*time.Hour), now.Add(-time.Hour)),
			"another secret":          legacyToken(t, "another-secret-0123456789abcdef0123", alice, now.Add(-time.Hour), now.Add(time.Hour)),
			"a user not imported":     legacyToken(t, testSecret, q.Erin.Hex(), now.Add(-time.Hour), now.Add(time.Hour)),
		} {
			if st := me(tok); st != http.StatusUnauthorized {
				t.Errorf("legacy token %s: %d, want 401", name, st)
			}
		}
		// Logging out ends the phone's session only, for good.
		if st, body := h.do(t, "POST", "/instamern/users/logout", phone, nil); st != http.StatusOK {
			t.Fatalf("logout: %d %v", st, body)
		}
		if st := me(phone); st != http.StatusUnauthorized {
			t.Errorf("the phone's token after logout: %d, want 401", st)
		}
		if st := me(laptop); st != http.StatusOK {
			t.Errorf("the laptop's token after the phone's logout: %d", st)
		}
		// The operator's cut-off ends the rest and refuses new ones.
		if _, err := h.svc.EndLegacySessions(t.Context()); err != nil {
			t.Fatal(err)
		}
		fresh := legacyToken(t, testSecret, q.Bob.Hex(), now.Add(-time.Hour), now.Add(time.Hour))
		if st1, st2 := me(laptop), me(fresh); st1 != http.StatusUnauthorized || st2 != http.StatusUnauthorized {
			t.Errorf("after the cut-off: adopted %d, new %d; want 401 for both", st1, st2)
		}
		bob := h.login(t, "bob", legacytest.BobPassword)
		if st := me(bob); st != http.StatusOK {
			t.Errorf("a new login after the cut-off: %d", st)
		}
	})
}

// TestLegacyTokensOff: LEGACY_TOKENS=off refuses the original's tokens.
func TestLegacyTokensOff(t *testing.T) {
	h := newHarness(t, backend{"sqlite", openSQLite}, withAPI(func(c *api.Config) { c.LegacyTokens = false }))
	q := importQuirky(t, h)
	now := h.clock.Now()
	tok := legacyToken(t, testSecret, q.Alice.Hex(), now.Add(-time.Hour), now.Add(time.Hour))
	if st, _ := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil); st != http.StatusUnauthorized {
		t.Errorf("legacy token with LEGACY_TOKENS off: %d, want 401", st)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func sameStrings(got []string, want ...string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}
