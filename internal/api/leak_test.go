package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// passwordHash matches an argon2 or bcrypt hash in any response.
var passwordHash = regexp.MustCompile(`\$argon2(id|i|d)\$|\$2[abxy]\$[0-9]{2}\$`)

// leakWatch drives requests and scans every raw response body: no
// password hash, no secret (reset and confirmation tokens, their hashes,
// the password), and no email address of anyone but the caller (staff
// endpoints, which show emails by design, excepted).
type leakWatch struct {
	h       *harness
	emails  map[string][]string // user id -> every address the user had or asked for
	secrets []string
	bodies  int
}

// anon is the anonymous caller.
var anon user

func (lw *leakWatch) secret(s string) {
	lw.secrets = append(lw.secrets, s)
	sum := sha256.Sum256([]byte(s))
	lw.secrets = append(lw.secrets, hex.EncodeToString(sum[:]))
}

func (lw *leakWatch) scan(t *testing.T, as user, staff bool, what string, raw []byte) {
	t.Helper()
	lw.bodies++
	body := strings.ToLower(string(raw))
	if passwordHash.Match(raw) {
		t.Errorf("%s: a password hash in %s", what, raw)
	}
	for _, s := range lw.secrets {
		if strings.Contains(body, strings.ToLower(s)) {
			t.Errorf("%s: the secret %q in %s", what, s, raw)
		}
	}
	if staff {
		return
	}
	for id, addrs := range lw.emails {
		for _, e := range addrs {
			if id != as.ID && strings.Contains(body, strings.ToLower(e)) {
				t.Errorf("%s as %q: the email %s of another user in %s", what, as.Username, e, raw)
			}
		}
	}
}

// call sends a JSON request as the user and scans the response.
func (lw *leakWatch) call(t *testing.T, as user, method, path string, body any) map[string]any {
	t.Helper()
	res, raw := lw.h.request(t, method, path, as.Token, body, nil)
	lw.scan(t, as, strings.HasPrefix(path, "/instamern/admin/"), method+" "+path, raw)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		return nil
	}
	return envelopeOf(t, res, raw)
}

// upload sends a photo as the user and scans the response.
func (lw *leakWatch) upload(t *testing.T, as user, path, field string) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, "p.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(jpegImage(t, 48, 48))
	_ = mw.Close()
	req, err := http.NewRequestWithContext(t.Context(), "POST", lw.h.srv.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+as.Token)
	res, raw := lw.h.send(t, req)
	lw.scan(t, as, false, "POST "+path, raw)
	return envelopeOf(t, res, raw)
}

// signup creates a user through the API, scanning the response.
func (lw *leakWatch) signup(t *testing.T, name string) user {
	t.Helper()
	u := user{Username: name, Email: name + "@example.com"}
	lw.emails[name] = []string{u.Email} // keyed by name until the id is known
	body := lw.call(t, user{ID: name}, "POST", "/instamern/users/signup", map[string]any{
		"firstname": "Test", "lastname": "User", "username": name, "email": u.Email,
		"password": testPassword, "passwordConfirm": testPassword})
	u.ID, u.Token = obj(t, body, "data", "user")["_id"].(string), body["token"].(string)
	lw.emails[u.ID] = lw.emails[name]
	delete(lw.emails, name)
	return u
}

// mailedToken flushes the outbox and returns the token of the one link
// to path in a mail to the address.
func (lw *leakWatch) mailedToken(t *testing.T, to, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(path) + `([0-9a-f]{32,})`)
	for _, m := range lw.h.flushMail(t) {
		if sm := re.FindStringSubmatch(m.Text); m.To == to && sm != nil {
			return sm[1]
		}
	}
	t.Fatalf("no %s link mailed to %s", path, to)
	return ""
}

// No response of any endpoint carries a password hash, a reset or
// confirmation token, the password, or another user's email address,
// along a journey through every endpoint that answers data.
func TestNoSecretsInResponses(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		lw := &leakWatch{h: h, emails: map[string][]string{}}
		lw.secrets = append(lw.secrets, testPassword)
		alice, bob, carol := lw.signup(t, "alice"), lw.signup(t, "bob"), lw.signup(t, "carol")
		h.setRole(t, carol, gram.RoleAdmin)
		alice.Token = lw.call(t, alice, "POST", "/instamern/users/login", map[string]any{"username": "alice", "password": testPassword})["token"].(string)

		// A reset link that stays unused, and one that is used.
		h.flushMail(t)
		lw.call(t, anon, "POST", "/instamern/users/forgot-password", map[string]any{"email": bob.Email})
		lw.secret(lw.mailedToken(t, bob.Email, "/reset-password/"))
		lw.call(t, anon, "POST", "/instamern/users/forgot-password", map[string]any{"email": "nobody@example.com"})
		lw.call(t, anon, "POST", "/instamern/users/forgot-password", map[string]any{"email": alice.Email})
		tok := lw.mailedToken(t, alice.Email, "/reset-password/")
		body := lw.call(t, alice, "PATCH", "/instamern/users/reset-password/"+tok, map[string]any{"password": "pebble-harbor-77", "passwordConfirm": "pebble-harbor-77"})
		alice.Token = body["token"].(string)
		lw.secret(tok)
		lw.secrets = append(lw.secrets, "pebble-harbor-77")

		// An email change, confirmed: both of alice's addresses stay hers.
		lw.emails[alice.ID] = append(lw.emails[alice.ID], "alice.new@example.com")
		lw.call(t, alice, "PATCH", "/instamern/users/change-email", map[string]any{"currentPassword": "pebble-harbor-77", "email": "alice.new@example.com"})
		confirm := lw.mailedToken(t, "alice.new@example.com", "/confirm-email/")
		lw.call(t, anon, "GET", "/instamern/users/confirm-email/"+confirm, nil)
		lw.call(t, alice, "POST", "/instamern/users/confirm-email/"+confirm, nil)
		lw.secret(confirm)

		// The social graph and content.
		for _, f := range []struct{ who, whom user }{{alice, bob}, {bob, alice}, {carol, alice}, {carol, bob}} {
			lw.call(t, f.who, "POST", "/instamern/users/follow/"+f.whom.Username, nil)
		}
		post := obj(t, lw.upload(t, alice, "/instamern/posts/upload", "post"), "data", "post")["_id"].(string)
		lw.upload(t, bob, "/instamern/stories/upload", "story")
		lw.upload(t, alice, "/instamern/users/upload", "photo")
		lw.call(t, bob, "POST", "/instamern/posts/like/"+post, nil)
		lw.call(t, bob, "POST", "/instamern/posts/comments/"+post, map[string]any{"comment": "nice"})
		lw.call(t, carol, "POST", "/instamern/posts/comments/"+post, map[string]any{"comment": "wow"})
		lw.call(t, alice, "POST", "/instamern/posts/update/"+post, map[string]any{"caption": "edited"})
		lw.call(t, bob, "PATCH", "/instamern/users/update", map[string]any{"bio": "hello"})

		// Every read, by everyone.
		for _, as := range []user{anon, alice, bob, carol} {
			for _, p := range []string{
				"/instamern/users", "/instamern/users/id/" + alice.ID, "/instamern/users/id/" + bob.ID,
				"/instamern/users/username/alice", "/instamern/users/username/carol",
				"/instamern/users/search/a", "/instamern/users/search/bob", "/instamern/users/search/example.com",
				"/instamern/users/search/bob%40", "/instamern/posts", "/instamern/posts/" + post, "/instamern/stories",
				"/instamern/users/authorization/current-user", "/instamern/users/sessions",
			} {
				lw.call(t, as, "GET", p, nil)
			}
		}
		lw.call(t, carol, "GET", "/instamern/admin/users", nil)
		lw.call(t, carol, "GET", "/instamern/admin/audit", nil)

		// Failures must not give anything away either.
		lw.call(t, anon, "POST", "/instamern/users/login", map[string]any{"username": "bob", "password": "wrong-password-1"})
		lw.call(t, anon, "POST", "/instamern/users/signup", map[string]any{"firstname": "Eve", "lastname": "Evil",
			"username": "eve", "email": bob.Email, "password": testPassword, "passwordConfirm": testPassword})
		lw.call(t, anon, "POST", "/instamern/users/signup", map[string]any{"firstname": "Eve", "lastname": "Evil",
			"username": "bob", "email": "eve@example.com", "password": testPassword, "passwordConfirm": testPassword})
		lw.call(t, bob, "PATCH", "/instamern/users/update", map[string]any{"username": "alice"})
		lw.call(t, anon, "PATCH", "/instamern/users/reset-password/"+tok, map[string]any{"password": "x-new-pass-9", "passwordConfirm": "x-new-pass-9"})
		lw.call(t, bob, "POST", "/instamern/users/logout", nil)

		if lw.bodies < 80 {
			t.Errorf("only %d responses scanned", lw.bodies)
		}
		if !slices.ContainsFunc(lw.secrets, func(s string) bool { return len(s) == 64 }) {
			t.Error("no token among the secrets")
		}
	})
}
