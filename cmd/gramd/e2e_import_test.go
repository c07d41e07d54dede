package main

import (
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/legacy/legacytest"
	"github.com/instamern/gram/internal/testenv"
)

// TestE2E_ImportFromInstaMERN is the cut-over: the original's data, in
// its Mongoose shapes with an old database's quirks, sits in a MongoDB
// wire-protocol server (FerretDB, MONGODB_URL); "gramd import instamern"
// moves it (twice: the second run adds nothing); a server with the
// original's JWT_SECRET lets a user log in with the old password, keeps
// another logged in with the old token, and shows the feed, a profile and
// the notifications as the original did. A mongodump directory imports
// the same way.
func TestE2E_ImportFromInstaMERN(t *testing.T) {
	base := testenv.Need(t, "MONGODB_URL")
	gramdBinary(t) // built before gramdExit's deadline starts
	const secret = "the-original-jwt-secret-0123456789abcdef"
	q := legacytest.NewQuirky(time.Now())
	url := legacytest.SeedMongo(t, base, &q.Data)
	dir := t.TempDir()
	// users: read, imported, already there, repaired, skipped
	usersLine := func(imported, present int) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^\s*users\s+7\s+` + itoa(imported) + `\s+` + itoa(present) + `\s+3\s+2\s*$`)
	}
	out, code := gramdExit(t, dir, nil, "import", "instamern", "-from", url, "-log", "import.log")
	if code != 0 || !usersLine(5, 0).MatchString(out) || !strings.Contains(out, "media: photos keep their original URLs") ||
		!strings.Contains(out, "stories skipped: 1 expired") {
		t.Fatalf("gramd import: exit %d\n%s", code, out)
	}
	t.Logf("the import's report:\n%s", out)
	if out, code = gramdExit(t, dir, nil, "import", "instamern", "-from", url); code != 0 || !usersLine(0, 5).MatchString(out) {
		t.Fatalf("a second gramd import: exit %d\n%s", code, out)
	}
	dump := filepath.Join(t.TempDir(), "dump")
	if err := q.WriteDump(dump); err != nil {
		t.Fatal(err)
	}
	if out, code = gramdExit(t, t.TempDir(), nil, "import", "instamern", "-from-dump", dump); code != 0 || !usersLine(5, 0).MatchString(out) {
		t.Fatalf("gramd import -from-dump: exit %d\n%s", code, out)
	}

	g := startGramd(t, dir, "JWT_SECRET="+secret)
	// Alice logs in with her old password; Bob is still logged in on
	// two devices with tokens the original issued.
	alice := g.call("POST", "/instamern/users/login", "", map[string]string{"username": "alice", "password": legacytest.AlicePassword}, 200).Token
	now := time.Now()
	phone, laptop := oldToken(t, secret, q.Bob.Hex(), now.Add(-time.Hour)), oldToken(t, secret, q.Bob.Hex(), now.Add(-2*time.Hour))
	for _, tok := range []string{phone, laptop} {
		if me := g.call("GET", "/instamern/users/authorization/current-user", tok, nil, 200).Data.User; me.ID != q.Bob.Hex() {
			t.Fatalf("the old token is %s, want bob", me.ID)
		}
	}

	feed := g.call("GET", "/instamern/posts/", alice, nil, 200).Data.Posts
	if len(feed) != 2 || feed[0].ID != q.P2.Hex() || feed[1].ID != q.P1.Hex() {
		t.Fatalf("feed = %+v, want p2 then p1", feed)
	}
	p1 := feed[1]
	if p1.Photo != q.P1Photo || p1.Like != 2 || p1.Comment != 3 || p1.PostedBy != q.Alice.Hex() ||
		!sameSet(p1.Likes, []string{q.Bob.Hex(), q.Carol.Hex()}) {
		t.Errorf("p1 in the feed = %+v", p1)
	}
	detail := g.call("GET", "/instamern/posts/"+q.P1.Hex(), phone, nil, 200).Data.Post
	var texts []string
	for _, c := range detail.Comments {
		texts = append(texts, c.Comment)
	}
	if !slices.Equal(texts, []string{"first!", "1 < 2", "third"}) {
		t.Errorf("comments = %q", texts)
	}
	profile := g.call("GET", "/instamern/users/id/"+q.Alice.Hex(), phone, nil, 200).Data.User
	if profile.Username != "alice" || profile.Photo != q.AlicePhoto || profile.Bio != "I <3 rabbits" ||
		!sameSet(profile.Followers, []string{q.Bob.Hex()}) || !sameSet(profile.Followings, []string{q.Bob.Hex(), q.Carol.Hex()}) ||
		len(profile.Posts) != 1 || profile.Posts[0].ID != q.P1.Hex() {
		t.Errorf("alice's profile = %+v", profile)
	}
	me := g.call("GET", "/instamern/users/authorization/current-user", alice, nil, 200).Data.User
	got := map[string]bool{}
	for _, n := range me.Notifications {
		got[n.ID] = n.New
	}
	if want := map[string]bool{q.N1.Hex(): true, q.N2.Hex(): true, q.N3.Hex(): false}; !maps.Equal(got, want) {
		t.Errorf("alice's notifications (id: new) = %v, want %v", got, want)
	}
	stories := g.call("GET", "/instamern/stories/", phone, nil, 200).Data.Stories
	if len(stories) != 1 || stories[0].ID != q.Alice.Hex() || len(stories[0].Stories) != 1 || stories[0].Stories[0].StoryID != q.S1.Hex() {
		t.Errorf("stories = %+v", stories)
	}

	// The phone logs out: its old token ends, the laptop's goes on.
	g.call("POST", "/instamern/users/logout", phone, nil, 200)
	g.call("GET", "/instamern/users/authorization/current-user", phone, nil, 401)
	g.call("GET", "/instamern/users/authorization/current-user", laptop, nil, 200)
	g.terminate()

	// The operator cuts every old token off at once.
	if out, code := gramdExit(t, dir, []string{"JWT_SECRET=" + secret}, "admin", "end-legacy-sessions"); code != 0 ||
		!strings.Contains(out, "ended 1 sessions") {
		t.Fatalf("gramd admin end-legacy-sessions: exit %d\n%s", code, out)
	}
	g = startGramd(t, dir, "JWT_SECRET="+secret)
	g.call("GET", "/instamern/users/authorization/current-user", laptop, nil, 401)
	g.call("GET", "/instamern/users/authorization/current-user", oldToken(t, secret, q.Carol.Hex(), now.Add(-time.Hour)), nil, 401)
	g.call("GET", "/instamern/users/authorization/current-user", alice, nil, 200)
	g.terminate()
}

// oldToken signs a token as the original did: HS256, {id, iat, exp}, for 90 days.
func oldToken(t *testing.T, secret, id string, iat time.Time) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": id, "iat": iat.Unix(),
		"exp": iat.Add(90 * 24 * time.Hour).Unix()}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func itoa(n int) string { return strconv.Itoa(n) }
