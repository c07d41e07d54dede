package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

// U5: signup.
func TestSignup(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		valid := func() map[string]any {
			return map[string]any{"firstname": "Alice", "lastname": "Smith", "username": "alice",
				"email": "Alice@Example.com", "password": testPassword, "passwordConfirm": testPassword}
		}

		t.Run("OK", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/users/signup", "", valid())
			wantSuccess(t, st, body, http.StatusCreated)
			if body["message"] != "You've signed up successfully. Welcome to InstaMERN!" {
				t.Errorf("message %q", body["message"])
			}
			if tok, _ := body["token"].(string); strings.Count(tok, ".") != 2 {
				t.Errorf("top-level token %q is not a JWT", body["token"])
			}
			u := obj(t, body, "data", "user")
			mustHave(t, u, "_id", "username", "firstname", "lastname", "bio", "followers", "followings", "notifications", "posts")
			mustLack(t, u, "password", "passwordHash", "passwordConfirm")
			if !gram.ValidID(u["_id"].(string)) {
				t.Errorf("_id %q is not 24 hex", u["_id"])
			}
			if u["email"] != "alice@example.com" {
				t.Errorf("email %q, want it normalised", u["email"])
			}
		})

		t.Run("WelcomeMailQueued", func(t *testing.T) { // B21, B22: outbox, not inline
			sent := h.flushMail(t)
			i := slices.IndexFunc(sent, func(m gram.Message) bool { return m.To == "alice@example.com" })
			if i < 0 {
				t.Fatalf("no welcome mail in %v", sent)
			}
			if sent[i].Subject != "Welcome to InstaMERN" || !strings.Contains(sent[i].Text, testOrigin+"/") {
				t.Errorf("welcome mail %q: %q", sent[i].Subject, sent[i].Text)
			}
		})

		cases := []struct {
			name   string
			change map[string]any
			status int
			msg    string
		}{
			{"DuplicateUsername", map[string]any{"email": "other@example.com", "username": "ALICE"}, 409, "This user already exists."},
			{"DuplicateEmailCase", map[string]any{"username": "alice2", "email": "ALICE@example.COM"}, 409, "This user already exists."},
			{"Missing", map[string]any{"firstname": "", "lastname": "", "username": "", "email": "", "password": "", "passwordConfirm": ""}, 400,
				"Firstname is required. Lastname is required. @username is required. Email address is required. Password is required. Please confirm your password."},
			{"Short", map[string]any{"firstname": "A", "username": "ab", "password": "short", "passwordConfirm": "short"}, 400,
				"Firstname cannot be shorter than 2 characters. @username cannot be shorter than 3 characters. Password cannot be shorter than 8 characters."},
			{"LongUsername", map[string]any{"username": "abcdefghijklm"}, 400, "@username cannot be longer than 12 characters."},
			{"BadEmail", map[string]any{"username": "bob", "email": "not-an-email"}, 400, "Invalid email address."},
			{"Mismatch", map[string]any{"username": "bob", "email": "bob@example.com", "passwordConfirm": "different1"}, 400, "Password doesn't match."},
			{"WrongType", map[string]any{"username": map[string]any{"$gt": ""}}, 400, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := valid()
				for k, v := range tc.change {
					in[k] = v
				}
				st, body := h.do(t, "POST", "/instamern/users/signup", "", in)
				wantFail(t, st, body, tc.status, tc.msg)
				mustLack(t, body, "token", "data")
			})
		}
	})
}

// U6: login.
func TestLogin(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		h.signup(t, "alice")

		t.Run("OK", func(t *testing.T) {
			res, raw := h.request(t, "POST", "/instamern/users/login", "", map[string]any{"username": "ALICE ", "password": testPassword}, nil)
			body := envelopeOf(t, res, raw)
			wantSuccess(t, res.StatusCode, body, http.StatusOK)
			if body["message"] != "Welcome back alice!" {
				t.Errorf("message %q", body["message"])
			}
			tok, _ := body["token"].(string)
			if tok == "" {
				t.Fatal("no top-level token")
			}
			var cookie *http.Cookie
			for _, c := range res.Cookies() {
				if c.Name == "jsonwebtoken" {
					cookie = c
				}
			}
			if cookie == nil || cookie.Value != tok || !cookie.HttpOnly || cookie.Path != "/" {
				t.Errorf("cookie %+v", cookie)
			}
			u := obj(t, body, "data", "user")
			mustHave(t, u, "_id", "followers", "followings", "notifications", "posts")
			mustLack(t, u, "password", "passwordHash")
			st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
			wantSuccess(t, st, me, http.StatusOK)
		})

		// Unknown user and wrong password share one message (FREE, against enumeration).
		cases := []struct {
			name, username, password string
			status                   int
			msg                      string
		}{
			{"Missing", "", "", 400, "Please type your username and password."},
			{"MissingPassword", "alice", "", 400, "Please type your username and password."},
			{"UnknownUser", "nobody", testPassword, 401, "Incorrect username or password."},
			{"WrongPassword", "alice", "wrongpassword", 401, "Incorrect username or password."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": tc.username, "password": tc.password})
				wantFail(t, st, body, tc.status, tc.msg)
				mustLack(t, body, "token")
			})
		}
	})
}

// B2, B3: no password hash, email, notifications or reset data of anyone
// in U1-U4, scanning the raw JSON text.
func TestPublicPayloadsHidePrivateFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		h.do(t, "POST", "/instamern/users/follow/alice", bob.Token, nil) // a notification for alice
		h.post(t, alice, "hello")
		if st, body := h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": alice.Email}); st != 200 {
			t.Fatalf("forgot: %d %v", st, body)
		}
		leaks := regexp.MustCompile(`(?i)password|"email"|@example\.com|notification|reset|token|argon2|"role"|"active"`)
		for _, path := range []string{
			"/instamern/users/",
			"/instamern/users/id/" + alice.ID,
			"/instamern/users/username/alice",
			"/instamern/users/search/a",
			"/instamern/posts/",
		} {
			for _, tok := range []string{"", bob.Token} {
				res, raw := h.request(t, "GET", path, tok, nil, nil)
				if res.StatusCode != 200 {
					t.Fatalf("%s: %d %s", path, res.StatusCode, raw)
				}
				if m := leaks.FindString(string(raw)); m != "" {
					t.Errorf("%s (token %v) leaks %q: %s", path, tok != "", m, raw)
				}
			}
		}
		// The caller's own view has email and notifications, never a hash.
		_, raw := h.request(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil, nil)
		if regexp.MustCompile(`(?i)password|argon2|reset`).Match(raw) {
			t.Errorf("current-user leaks a secret: %s", raw)
		}
	})
}

// U1: suggestions.
func TestSuggestUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		var users []user
		for _, n := range []string{"ann", "ben", "cat", "dan", "eve", "fay", "gus"} {
			users = append(users, h.signup(t, n))
		}
		ids := func(body map[string]any) []string {
			var out []string
			for _, it := range list(t, body, "data", "users") {
				u := it.(map[string]any)
				mustHave(t, u, "_id", "username", "firstname", "lastname")
				out = append(out, u["_id"].(string))
			}
			return out
		}

		t.Run("Anonymous", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/users/", "", nil)
			wantSuccess(t, st, body, 200)
			got := ids(body)
			if len(got) == 0 || len(got) > 5 || body["results"] != float64(len(got)) {
				t.Errorf("results %v, users %v", body["results"], got)
			}
		})
		t.Run("ExcludesSelfAndFollowed", func(t *testing.T) {
			h.do(t, "POST", "/instamern/users/follow/ben", users[0].Token, nil)
			for range 10 {
				_, body := h.do(t, "GET", "/instamern/users", users[0].Token, nil)
				for _, id := range ids(body) {
					if id == users[0].ID || id == users[1].ID {
						t.Fatalf("suggested self or a followed user: %v", id)
					}
				}
			}
		})
		t.Run("HidesDeactivated", func(t *testing.T) { // B28
			for _, u := range users[1:] {
				h.deactivate(t, u)
			}
			for range 5 {
				_, body := h.do(t, "GET", "/instamern/users", "", nil)
				if got := ids(body); !cmp.Equal(got, []string{users[0].ID}) {
					t.Fatalf("suggestions %v, want only the active user", got)
				}
			}
		})
	})
}

func (h *harness) deactivate(t *testing.T, u user) {
	t.Helper()
	st, body := h.do(t, "DELETE", "/instamern/users/deactivate", u.Token, map[string]any{"currentPassword": testPassword})
	wantSuccess(t, st, body, 200)
}

// U2, U3: public profiles.
func TestProfiles(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		h.do(t, "POST", "/instamern/users/follow/alice", bob.Token, nil)
		postID := h.post(t, alice, "first")

		for _, path := range []string{"/instamern/users/id/" + alice.ID, "/instamern/users/username/alice", "/instamern/users/username/ALICE"} {
			t.Run("OK"+path, func(t *testing.T) {
				st, body := h.do(t, "GET", path, "", nil)
				wantSuccess(t, st, body, 200)
				u := obj(t, body, "data", "user")
				mustHave(t, u, "_id", "username", "firstname", "lastname", "bio")
				if u["_id"] != alice.ID || u["username"] != "alice" {
					t.Errorf("user %v", u)
				}
				if got := strs(t, list(t, u, "followers")); !cmp.Equal(got, []string{bob.ID}) {
					t.Errorf("followers %v", got)
				}
				if got := strs(t, list(t, u, "followings")); len(got) != 0 {
					t.Errorf("followings %v", got)
				}
				posts := list(t, u, "posts")
				if len(posts) != 1 {
					t.Fatalf("posts %v", posts)
				}
				p := posts[0].(map[string]any)
				if p["_id"] != postID || !strings.HasPrefix(p["photo"].(string), h.srv.URL+"/media/") {
					t.Errorf("post %v", p)
				}
				if _, has := u["photo"]; has {
					t.Errorf("photo present without an avatar: %v", u["photo"])
				}
			})
		}

		cases := []struct{ name, path, msg string }{
			{"UnknownID", "/instamern/users/id/0123456789abcdef01234567", "User not found."},
			{"MalformedID", "/instamern/users/id/not-an-id", "User not found."}, // B25
			{"UpperHexID", "/instamern/users/id/" + strings.ToUpper(alice.ID), "User not found."},
			{"UnknownUsername", "/instamern/users/username/nobody", "User not found."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "GET", tc.path, "", nil)
				wantFail(t, st, body, 404, tc.msg)
			})
		}

		t.Run("Deactivated", func(t *testing.T) { // B28
			h.deactivate(t, bob)
			for _, path := range []string{"/instamern/users/id/" + bob.ID, "/instamern/users/username/bob"} {
				st, body := h.do(t, "GET", path, "", nil)
				wantFail(t, st, body, 404, "That user is no longer active.")
			}
		})
	})
}

// U4 and B19: literal, case-insensitive search.
func TestSearchUsers(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		for _, n := range []string{"abc", "a.c", "a_c", "xyz", "zzz"} {
			h.signup(t, n)
		}
		h.deactivate(t, h.signup(t, "abcd"))
		cases := []struct {
			term string
			want []string
		}{
			{"a.c", []string{"a.c"}},
			{"_", []string{"a_c"}},
			{"%", nil},
			{"(", nil},
			{"[", nil},
			{"*", nil},
			{".*", nil},
			{"ABC", []string{"abc"}}, // case-insensitive; abcd is deactivated (B28)
			{"c", []string{"a.c", "a_c", "abc"}},
			{"nomatch", nil},
		}
		for _, tc := range cases {
			t.Run(tc.term, func(t *testing.T) {
				st, body := h.do(t, "GET", "/instamern/users/search/"+url.PathEscape(tc.term), "", nil)
				wantSuccess(t, st, body, 200)
				var got []string
				for _, it := range list(t, body, "data", "users") {
					u := it.(map[string]any)
					mustHave(t, u, "_id", "username", "firstname", "lastname")
					got = append(got, u["username"].(string))
				}
				slices.Sort(got)
				if !cmp.Equal(got, tc.want) {
					t.Errorf("search %q = %v, want %v", tc.term, got, tc.want)
				}
				if body["results"] != float64(len(got)) {
					t.Errorf("results %v", body["results"])
				}
			})
		}
	})
}

// U9 and §2.5, B10: current user and the token checks.
func TestCurrentUser(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		h.do(t, "POST", "/instamern/users/follow/bob", alice.Token, nil)
		h.do(t, "POST", "/instamern/users/follow/alice", bob.Token, nil)
		const path = "/instamern/users/authorization/current-user"

		t.Run("OK", func(t *testing.T) {
			st, body := h.do(t, "GET", path, alice.Token, nil)
			wantSuccess(t, st, body, 200)
			u := obj(t, body, "data", "user")
			mustHave(t, u, "_id", "username", "firstname", "lastname", "bio", "email", "followers", "posts")
			if got := strs(t, list(t, u, "followings")); !cmp.Equal(got, []string{bob.ID}) {
				t.Errorf("followings %v", got)
			}
			notes := list(t, u, "notifications")
			if len(notes) != 1 {
				t.Fatalf("notifications %v", notes)
			}
			n := notes[0].(map[string]any)
			if !gram.ValidID(n["_id"].(string)) || n["notifiedBy"] != bob.ID || n["notification"] != "followed you." {
				t.Errorf("notification %v", n)
			}
		})

		expired := h.expiredToken(t, alice)
		cases := []struct {
			name, header, msg string
		}{
			{"NoHeader", "", "You're not logged in. Please login."},
			{"NotBearer", "Basic abc", "You're not logged in. Please login."},
			{"BearerNull", "Bearer null", "Authorization failed. Please login."},
			{"BearerUndefined", "Bearer undefined", "Authorization failed. Please login."},
			{"Garbage", "Bearer a.b.c", "Authorization failed. Please login."},
			{"AlgNone", "Bearer " + noneToken(alice.ID), "Authorization failed. Please login."},
			{"WrongSecret", "Bearer " + signToken(t, "other-secret", alice.ID, "x", time.Now().Add(time.Hour)), "Authorization failed. Please login."},
			{"UnknownSession", "Bearer " + signToken(t, testSecret, alice.ID, "nosuchsession", time.Now().Add(time.Hour)), "Your session has ended. Please login again."},
			{"Expired", "Bearer " + expired, "Your session has expired. Please login again."}, // B10
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				hdr := map[string]string{}
				if tc.header != "" {
					hdr["Authorization"] = tc.header
				}
				res, raw := h.request(t, "GET", path, "", nil, hdr)
				wantFail(t, res.StatusCode, envelopeOf(t, res, raw), 401, tc.msg)
			})
		}
	})
}

// U10, U11 and B9: follow and unfollow.
func TestFollow(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		carl := h.signup(t, "carl")

		t.Run("Follow", func(t *testing.T) {
			for range 3 { // repeated follows are idempotent
				st, body := h.do(t, "POST", "/instamern/users/follow/BOB", alice.Token, nil)
				wantSuccess(t, st, body, 200)
				if body["message"] != "Now, you are following bob" {
					t.Errorf("message %q", body["message"])
				}
			}
			_, me := h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			if got := strs(t, list(t, me, "data", "user", "followings")); !cmp.Equal(got, []string{bob.ID}) {
				t.Errorf("followings %v", got)
			}
			_, prof := h.do(t, "GET", "/instamern/users/username/bob", "", nil)
			if got := strs(t, list(t, prof, "data", "user", "followers")); !cmp.Equal(got, []string{alice.ID}) {
				t.Errorf("followers %v", got)
			}
			_, bobMe := h.do(t, "GET", "/instamern/users/authorization/current-user", bob.Token, nil)
			if n := len(list(t, bobMe, "data", "user", "notifications")); n != 1 {
				t.Errorf("bob has %d notifications after 3 follows, want 1", n)
			}
		})
		t.Run("Unfollow", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/users/unfollow/bob", alice.Token, nil)
			wantSuccess(t, st, body, 200)
			if body["message"] != "Now, you aren't following bob" {
				t.Errorf("message %q", body["message"])
			}
			_, prof := h.do(t, "GET", "/instamern/users/username/bob", "", nil)
			if got := list(t, prof, "data", "user", "followers"); len(got) != 0 {
				t.Errorf("followers %v", got)
			}
			st, body = h.do(t, "POST", "/instamern/users/unfollow/bob", alice.Token, nil) // not following: still fine
			wantSuccess(t, st, body, 200)
		})

		h.deactivate(t, carl)
		cases := []struct {
			name, path, token string
			status            int
			msg               string
		}{
			{"Self", "/instamern/users/follow/alice", alice.Token, 400, "You cannot follow yourself."},
			{"SelfUnfollow", "/instamern/users/unfollow/alice", alice.Token, 400, "You cannot unfollow yourself."},
			{"Unknown", "/instamern/users/follow/nobody", alice.Token, 404, "User not found."},
			{"UnknownUnfollow", "/instamern/users/unfollow/nobody", alice.Token, 404, "User not found."},
			{"Deactivated", "/instamern/users/follow/carl", alice.Token, 404, "That user is no longer active."},
			{"Anonymous", "/instamern/users/follow/bob", "", 401, "You're not logged in. Please login."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "POST", tc.path, tc.token, nil)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}
	})
}

// U14, B11: logout revokes the token and always answers 200 JSON.
func TestLogout(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		other := h.login(t, "alice", testPassword)

		st, body := h.do(t, "POST", "/instamern/users/logout", alice.Token, nil)
		wantSuccess(t, st, body, 200)
		if body["message"] != "You're logged out successfully." || body["data"] != nil {
			t.Errorf("body %v", body)
		}
		if _, has := body["data"]; !has {
			t.Error("data: null missing")
		}
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
		wantFail(t, st, body, 401, "")
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", other, nil)
		wantSuccess(t, st, body, 200) // only the presented session ends

		for _, tok := range []string{"", "null", "undefined", alice.Token} {
			st, body := h.do(t, "POST", "/instamern/users/logout", tok, nil)
			wantSuccess(t, st, body, 200)
		}
	})
}

// U15 and B13: profile update with an allowlist.
func TestUpdateProfile(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		h.signup(t, "bob")
		const path = "/instamern/users/update"

		t.Run("OK", func(t *testing.T) {
			st, body := h.do(t, "PATCH", path, alice.Token, map[string]any{
				"firstname": "  Alicia ", "lastname": "Jones", "username": "Alicia", "bio": "<b>hi</b> there"})
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your profile has been updated successfully." {
				t.Errorf("message %q", body["message"])
			}
			_, prof := h.do(t, "GET", "/instamern/users/id/"+alice.ID, "", nil)
			u := obj(t, prof, "data", "user")
			got := map[string]any{"firstname": u["firstname"], "lastname": u["lastname"], "username": u["username"], "bio": u["bio"]}
			want := map[string]any{"firstname": "Alicia", "lastname": "Jones", "username": "alicia", "bio": "<b>hi</b> there"}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("profile (-want +got):\n%s", d)
			}
		})

		for _, field := range []string{"email", "password", "passwordConfirm", "photo", "active", "followers", "followings",
			"notifications", "_id", "id", "role", "passwordResetToken"} {
			t.Run("Reject_"+field, func(t *testing.T) {
				for _, v := range []any{"x", false, "", []any{}} {
					st, body := h.do(t, "PATCH", path, alice.Token, map[string]any{"firstname": "Eve", field: v})
					wantFail(t, st, body, 400, "You cannot update these fields.")
				}
			})
		}
		_, me := h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
		if fn := obj(t, me, "data", "user")["firstname"]; fn != "Alicia" {
			t.Errorf("a rejected update changed firstname to %v", fn)
		}

		cases := []struct {
			name   string
			body   any
			status int
			msg    string
		}{
			{"ShortFirstname", map[string]any{"firstname": "A"}, 400, "Firstname cannot be shorter than 2 characters."},
			{"LongLastname", map[string]any{"lastname": strings.Repeat("x", 17)}, 400, "Lastname cannot be longer than 16 characters."},
			{"DuplicateUsername", map[string]any{"username": "BOB"}, 409, "This user already exists."},
			{"WrongType", map[string]any{"bio": 5}, 400, ""},
			{"Operator", `{"username":{"$gt":""}}`, 400, ""},
			{"Anonymous", nil, 401, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tok := alice.Token
				if tc.body == nil {
					tok = ""
				}
				st, body := h.do(t, "PATCH", path, tok, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}
	})
}

// U17 and B11: change password keeps the caller's session, ends the others.
func TestChangePassword(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		other := h.login(t, "alice", testPassword)
		const path = "/instamern/users/change-password"
		const newPass = "brandnew456"

		cases := []struct {
			name   string
			body   map[string]any
			status int
			msg    string
		}{
			{"NoCurrent", map[string]any{"password": newPass, "passwordConfirm": newPass}, 400, "Please confirm your current password."},
			{"NoNew", map[string]any{"currentPassword": testPassword, "password": newPass}, 400, "Please set your new password."},
			{"WrongCurrent", map[string]any{"currentPassword": "wrongpass1", "password": newPass, "passwordConfirm": newPass}, 401, "Your current password doesn't match."},
			{"Same", map[string]any{"currentPassword": testPassword, "password": testPassword, "passwordConfirm": testPassword}, 409, "Your new password cannot be the same as your previous password."},
			{"Short", map[string]any{"currentPassword": testPassword, "password": "short", "passwordConfirm": "short"}, 400, "Password cannot be shorter than 8 characters."},
			{"Mismatch", map[string]any{"currentPassword": testPassword, "password": newPass, "passwordConfirm": newPass + "x"}, 400, "Password doesn't match."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "PATCH", path, alice.Token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}

		t.Run("OK", func(t *testing.T) {
			st, body := h.do(t, "PATCH", path, alice.Token, map[string]any{"currentPassword": testPassword, "password": newPass, "passwordConfirm": newPass})
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your password has been updated successfully." || body["token"] == "" {
				t.Errorf("body %v", body)
			}
			mustHave(t, obj(t, body, "data", "user"), "_id", "followings", "notifications")
			st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			wantSuccess(t, st, me, 200) // the caller stays logged in
			st, me = h.do(t, "GET", "/instamern/users/authorization/current-user", body["token"].(string), nil)
			wantSuccess(t, st, me, 200)
			st, me = h.do(t, "GET", "/instamern/users/authorization/current-user", other, nil)
			wantFail(t, st, me, 401, "") // other sessions end
			h.login(t, "alice", newPass)
			st, fail := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": "alice", "password": testPassword})
			wantFail(t, st, fail, 401, "")
		})
	})
}

// U18, B11, B28: deactivation hides the account, revokes its sessions;
// login reactivates it.
func TestDeactivate(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		h.post(t, bob, "bob's post")
		const path = "/instamern/users/deactivate"

		for _, tc := range []struct {
			name   string
			body   map[string]any
			status int
			msg    string
		}{
			{"NoPassword", map[string]any{}, 400, "Please confirm your password."},
			{"WrongPassword", map[string]any{"currentPassword": "wrongpass1"}, 401, "Password doesn't match."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, "DELETE", path, bob.Token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}

		t.Run("OK", func(t *testing.T) {
			st, body := h.do(t, "DELETE", path, bob.Token, map[string]any{"currentPassword": testPassword})
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your account has been deactivated successfully. To activate again, please login." {
				t.Errorf("message %q", body["message"])
			}
			st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", bob.Token, nil)
			wantFail(t, st, body, 401, "")
			st, body = h.do(t, "POST", "/instamern/users/follow/bob", alice.Token, nil)
			wantFail(t, st, body, 404, "That user is no longer active.")
			_, feed := h.do(t, "GET", "/instamern/posts", "", nil)
			if n := len(list(t, feed, "data", "posts")); n != 0 {
				t.Errorf("feed shows %d posts of a deactivated user", n)
			}
			_, search := h.do(t, "GET", "/instamern/users/search/bob", "", nil)
			if n := len(list(t, search, "data", "users")); n != 0 {
				t.Errorf("search finds a deactivated user")
			}
		})

		t.Run("LoginReactivates", func(t *testing.T) {
			tok := h.login(t, "bob", testPassword)
			st, body := h.do(t, "GET", "/instamern/users/username/bob", "", nil)
			wantSuccess(t, st, body, 200)
			_, feed := h.do(t, "GET", "/instamern/posts", "", nil)
			if n := len(list(t, feed, "data", "posts")); n != 1 {
				t.Errorf("feed has %d posts after reactivation, want 1", n)
			}
			st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
			wantSuccess(t, st, body, 200)
		})
	})
}

// U19: account deletion cascades to content and media.
func TestDeleteAccount(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		bob := h.signup(t, "bob")
		alicePost := h.post(t, alice, "mine")
		bobPost := h.post(t, bob, "bob's")
		h.do(t, "POST", "/instamern/posts/like/"+bobPost, alice.Token, nil)
		h.do(t, "POST", "/instamern/posts/comments/"+bobPost, alice.Token, map[string]any{"comment": "nice"})
		h.do(t, "POST", "/instamern/users/follow/bob", alice.Token, nil)
		st, _ := h.upload(t, "/instamern/stories/upload", alice.Token, "story", "s.jpg", jpegImage(t, 40, 60), nil)
		if st != 201 {
			t.Fatalf("story upload %d", st)
		}
		const path = "/instamern/users/delete"

		st, body := h.do(t, "DELETE", path, alice.Token, map[string]any{})
		wantFail(t, st, body, 400, "Please confirm your password.")
		st, body = h.do(t, "DELETE", path, alice.Token, map[string]any{"currentPassword": "wrongpass1"})
		wantFail(t, st, body, 401, "Password doesn't match.")

		st, body = h.do(t, "DELETE", path, alice.Token, map[string]any{"currentPassword": testPassword})
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
		wantFail(t, st, body, 401, "")
		st, body = h.do(t, "GET", "/instamern/users/id/"+alice.ID, "", nil)
		wantFail(t, st, body, 404, "User not found.")
		st, body = h.do(t, "GET", "/instamern/posts/"+alicePost, "", nil)
		wantFail(t, st, body, 404, "")
		_, detail := h.do(t, "GET", "/instamern/posts/"+bobPost, "", nil)
		p := obj(t, detail, "data", "post")
		if len(list(t, p, "likes")) != 0 || len(list(t, p, "comments")) != 0 || p["like"] != float64(0) || p["comment"] != float64(0) {
			t.Errorf("bob's post still has alice's like or comment: %v", p)
		}
		_, stories := h.do(t, "GET", "/instamern/stories", "", nil)
		if n := len(list(t, stories, "data", "stories")); n != 0 {
			t.Errorf("%d story groups left", n)
		}
		objs, err := h.blobs.List(t.Context(), gram.UserPrefix(alice.ID))
		if err != nil || len(objs) != 0 {
			t.Errorf("media left behind: %v %v", objs, err)
		}
		st, body = h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": "alice", "password": testPassword})
		wantFail(t, st, body, 401, "")
	})
}

// U7, U8, B11, B18: the whole password-reset flow through the outbox.
func TestPasswordReset(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		h.flushMail(t) // the welcome mail
		const newPass = "resetpass99"

		forgot := func(t *testing.T, email any) (int, map[string]any) {
			t.Helper()
			return h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": email})
		}
		resetLink := func(t *testing.T) string {
			t.Helper()
			sent := h.flushMail(t)
			if len(sent) != 1 || sent[0].To != alice.Email || sent[0].Subject != "Reset your password" {
				t.Fatalf("mails %+v", sent)
			}
			m := regexp.MustCompile(regexp.QuoteMeta(testOrigin) + `/reset-password/([0-9a-f]{64})\b`).FindStringSubmatch(sent[0].Text)
			if m == nil {
				t.Fatalf("no reset link in %q", sent[0].Text)
			}
			return m[1]
		}

		t.Run("Validation", func(t *testing.T) {
			st, body := forgot(t, "")
			wantFail(t, st, body, 400, "Please type your email address to reset your password.")
			st, body = forgot(t, "not-an-email")
			wantFail(t, st, body, 400, "Please type a valid email address.")
		})

		t.Run("NoEnumeration", func(t *testing.T) { // B18
			st1, known := forgot(t, "ALICE@example.com")
			st2, unknown := forgot(t, "nobody@example.com")
			wantSuccess(t, st1, known, 200)
			if st1 != st2 || !cmp.Equal(known, unknown) {
				t.Errorf("known %d %v vs unknown %d %v", st1, known, st2, unknown)
			}
			resetLink(t) // exactly one mail, to alice
		})

		other := h.login(t, "alice", testPassword)
		t.Run("Reset", func(t *testing.T) {
			forgot(t, alice.Email)
			token := resetLink(t)
			st, body := h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": "short", "passwordConfirm": "short"})
			wantFail(t, st, body, 400, "Password cannot be shorter than 8 characters.")
			// The policy needs the account, known only inside the reset's
			// transaction: a refusal there must leave the token usable.
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": "Alice-orbit-9", "passwordConfirm": "Alice-orbit-9"})
			wantFail(t, st, body, 400, "Password cannot contain your username.")
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": "iloveyou", "passwordConfirm": "iloveyou"})
			wantFail(t, st, body, 400, "This password is one of the most commonly used passwords. Please choose a less guessable one.")
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": newPass, "passwordConfirm": newPass})
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your password has been updated successfully." {
				t.Errorf("message %q", body["message"])
			}
			newTok, _ := body["token"].(string)
			mustHave(t, obj(t, body, "data", "user"), "_id", "followings", "notifications")
			for _, tok := range []string{alice.Token, other} { // B11: all old sessions end
				st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
				wantFail(t, st, me, 401, "")
			}
			st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", newTok, nil)
			wantSuccess(t, st, me, 200)
			h.login(t, "alice", newPass)
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": "another999", "passwordConfirm": "another999"})
			wantFail(t, st, body, 404, "The password reset link has expired or has broken. Please try again later.") // single use
		})

		t.Run("Expired", func(t *testing.T) {
			h.flushMail(t)
			forgot(t, alice.Email)
			token := resetLink(t)
			h.clock.Advance(10*time.Minute + time.Second)
			st, body := h.do(t, "PATCH", "/instamern/users/reset-password/"+token, "", map[string]any{"password": "another999", "passwordConfirm": "another999"})
			wantFail(t, st, body, 404, "The password reset link has expired or has broken. Please try again later.")
			h.login(t, "alice", newPass)
		})

		t.Run("ReactivatesDeactivated", func(t *testing.T) { // B28: the issued token must work
			h.flushMail(t)
			bob := h.signup(t, "bob")
			h.deactivate(t, bob)
			h.flushMail(t)
			forgot(t, bob.Email)
			sent := h.flushMail(t)
			m := regexp.MustCompile(`/reset-password/([0-9a-f]{64})`).FindStringSubmatch(sent[0].Text)
			st, body := h.do(t, "PATCH", "/instamern/users/reset-password/"+m[1], "", map[string]any{"password": "another999", "passwordConfirm": "another999"})
			wantSuccess(t, st, body, 200)
			st, me := h.do(t, "GET", "/instamern/users/authorization/current-user", body["token"].(string), nil)
			wantSuccess(t, st, me, 200)
			st, prof := h.do(t, "GET", "/instamern/users/username/bob", "", nil)
			wantSuccess(t, st, prof, 200)
		})

		t.Run("BrokenToken", func(t *testing.T) {
			st, body := h.do(t, "PATCH", "/instamern/users/reset-password/xyz", "", map[string]any{"password": "another999", "passwordConfirm": "another999"})
			wantFail(t, st, body, 404, "The password reset link has expired or has broken. Please try again later.")
		})
	})
}
