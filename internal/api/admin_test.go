package api_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

const suspendedMsg = "Your account has been suspended. Please contact support."

// setRole gives u a role through the store (sessions kept, unlike the API).
func (h *harness) setRole(t *testing.T, u user, role string) {
	t.Helper()
	if _, err := h.store.UpdateUser(context.Background(), u.ID, func(x *gram.User) error { x.Role = role; return nil }); err != nil {
		t.Fatal(err)
	}
}

// staffUsers signs up one user of each role.
func (h *harness) staffUsers(t *testing.T) (plain, mod, admin user) {
	t.Helper()
	plain, mod, admin = h.signup(t, "plain"), h.signup(t, "mod"), h.signup(t, "admin")
	h.setRole(t, mod, gram.RoleModerator)
	h.setRole(t, admin, gram.RoleAdmin)
	return plain, mod, admin
}

// auditActions returns the actions of the audit log, newest first.
func (h *harness) auditActions(t *testing.T, admin user) []map[string]any {
	t.Helper()
	st, body := h.do(t, "GET", "/instamern/admin/audit?limit=100", admin.Token, nil)
	wantSuccess(t, st, body, 200)
	var out []map[string]any
	for _, e := range list(t, body, "data", "entries") {
		out = append(out, e.(map[string]any))
	}
	return out
}

var reason = map[string]any{"reason": "spam"}

// Each permission edge: who may suspend, unsuspend and re-role whom.
func TestAdminPermissions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		plain, mod, admin := h.staffUsers(t)
		actors := map[string]user{"user": plain, "moderator": mod, "admin": admin}
		n := 0
		target := func(t *testing.T, role string) user {
			n++
			u := h.signup(t, "target"+strconv.Itoa(n))
			h.setRole(t, u, role)
			return u
		}
		const notStaff, notAdmin = "Only moderators and admins can do that.", "Only admins can do that."
		cases := []struct {
			actor, target string // target "self" is the actor
			suspend       int
			role          int
			msg           string
		}{
			{"user", "user", 403, 403, notStaff},
			{"user", "self", 403, 403, notStaff},
			{"moderator", "user", 200, 403, ""},
			{"moderator", "moderator", 403, 403, "You cannot suspend that account."},
			{"moderator", "admin", 403, 403, "You cannot suspend that account."},
			{"moderator", "self", 403, 403, "You cannot suspend that account."},
			{"admin", "user", 200, 200, ""},
			{"admin", "moderator", 200, 200, ""},
			{"admin", "admin", 200, 200, ""},
			{"admin", "self", 403, 403, "You cannot suspend that account."},
		}
		for _, tc := range cases {
			t.Run(tc.actor+"/"+tc.target, func(t *testing.T) {
				actor := actors[tc.actor]
				tgt := actor
				if tc.target != "self" {
					tgt = target(t, tc.target)
				}
				st, body := h.do(t, "POST", "/instamern/admin/users/"+tgt.ID+"/suspend", actor.Token, reason)
				if tc.suspend != 200 {
					wantFail(t, st, body, tc.suspend, tc.msg)
				} else {
					wantSuccess(t, st, body, 200)
					if !obj(t, body, "data", "user")["suspended"].(bool) {
						t.Errorf("suspend answered %v", body)
					}
					st, body = h.do(t, "POST", "/instamern/admin/users/"+tgt.ID+"/unsuspend", actor.Token, reason)
					wantSuccess(t, st, body, 200)
				}
				st, body = h.do(t, "PATCH", "/instamern/admin/users/"+tgt.ID+"/role", actor.Token,
					map[string]any{"role": gram.RoleModerator, "reason": "trusted"})
				switch {
				case tc.role == 200 && tc.target == gram.RoleModerator:
					wantFail(t, st, body, 409, "That user is already a moderator.")
				case tc.role == 200:
					wantSuccess(t, st, body, 200)
				case tc.actor == "admin": // self
					wantFail(t, st, body, 403, "You cannot change your own role.")
				case tc.actor == "moderator":
					wantFail(t, st, body, 403, notAdmin)
				default:
					wantFail(t, st, body, 403, notAdmin)
				}
			})
		}
		t.Run("ReadAccess", func(t *testing.T) {
			for _, c := range []struct {
				who         user
				users, logs int
			}{{plain, 403, 403}, {mod, 200, 403}, {admin, 200, 200}} {
				if st, body := h.do(t, "GET", "/instamern/admin/users", c.who.Token, nil); st != c.users {
					t.Errorf("%s lists users: %d %v", c.who.Username, st, body)
				}
				if st, body := h.do(t, "GET", "/instamern/admin/audit", c.who.Token, nil); st != c.logs {
					t.Errorf("%s reads the audit log: %d %v", c.who.Username, st, body)
				}
			}
		})
		t.Run("Anonymous", func(t *testing.T) {
			for _, r := range [][2]string{{"GET", "/instamern/admin/users"}, {"GET", "/instamern/admin/audit"},
				{"POST", "/instamern/admin/users/" + plain.ID + "/suspend"}, {"PATCH", "/instamern/admin/users/" + plain.ID + "/role"},
				{"DELETE", "/instamern/admin/posts/" + plain.ID}} {
				st, body := h.do(t, r[0], r[1], "", reason)
				wantFail(t, st, body, 401, "You're not logged in. Please login.")
			}
		})
	})
}

// Suspension: sessions end, login is refused with a clear message, the
// account disappears from every public list; unsuspending restores login.
func TestSuspension(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, mod, admin := h.staffUsers(t)
		alice := h.signup(t, "alice")
		other := h.login(t, "alice", testPassword)
		postID := h.post(t, alice, "hello")
		viewer := h.signup(t, "viewer")
		if st, _ := h.upload(t, "/instamern/stories/upload", alice.Token, "story", "s.jpg", jpegImage(t, 40, 40), nil); st != 201 {
			t.Fatalf("story upload: %d", st)
		}

		st, body := h.do(t, "POST", "/instamern/admin/users/"+alice.ID+"/suspend", mod.Token, map[string]any{"reason": "  posting spam  "})
		wantSuccess(t, st, body, 200)
		u := obj(t, body, "data", "user")
		if u["email"] != alice.Email || u["suspendReason"] != "posting spam" || u["suspendedBy"] != mod.ID || u["active"] != false {
			t.Errorf("suspended user view: %v", u)
		}

		t.Run("TokensStopWorking", func(t *testing.T) {
			for _, tok := range []string{alice.Token, other} {
				st, body := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
				wantFail(t, st, body, 401, "")
			}
		})
		t.Run("RacedSessionRefused", func(t *testing.T) {
			// A login that passed its check just before the suspension
			// committed creates its session after the revocation.
			now := h.clock.Now()
			ss := &gram.Session{ID: gram.NewID(now) + "0123456789abcdef", UserID: alice.ID, CreatedAt: now, LastUsed: now, ExpiresAt: now.Add(time.Hour)}
			if err := h.store.CreateSession(t.Context(), ss); err != nil {
				t.Fatal(err)
			}
			tok := signToken(t, testSecret, alice.ID, ss.ID, now.Add(time.Hour))
			st, body := h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
			wantFail(t, st, body, 403, suspendedMsg)
		})
		t.Run("LoginRefused", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": "alice", "password": testPassword})
			wantFail(t, st, body, 403, suspendedMsg)
			// Without the password nothing tells that the account is suspended.
			st, body = h.do(t, "POST", "/instamern/users/login", "", map[string]any{"username": "alice", "password": "wrongpass1"})
			wantFail(t, st, body, 401, "Incorrect username or password.")
		})
		t.Run("Hidden", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/users/search/alic", "", nil)
			wantSuccess(t, st, body, 200)
			if n := len(list(t, body, "data", "users")); n != 0 {
				t.Errorf("search finds the suspended user: %v", body)
			}
			for range 5 { // suggestions are random: ask a few times
				_, body = h.do(t, "GET", "/instamern/users", viewer.Token, nil)
				for _, c := range list(t, body, "data", "users") {
					if c.(map[string]any)["_id"] == alice.ID {
						t.Fatalf("suggested: %v", body)
					}
				}
			}
			_, body = h.do(t, "GET", "/instamern/posts", "", nil)
			for _, p := range list(t, body, "data", "posts") {
				if p.(map[string]any)["_id"] == postID {
					t.Errorf("feed shows the suspended user's post")
				}
			}
			_, body = h.do(t, "GET", "/instamern/stories", "", nil)
			if n := len(list(t, body, "data", "stories")); n != 0 {
				t.Errorf("stories of the suspended user shown: %v", body)
			}
			st, body = h.do(t, "GET", "/instamern/users/username/alice", "", nil)
			wantFail(t, st, body, 404, "That user is no longer active.")
			st, body = h.do(t, "POST", "/instamern/users/follow/alice", viewer.Token, nil)
			wantFail(t, st, body, 404, "")
		})
		t.Run("ResetRefused", func(t *testing.T) {
			h.flushMail(t)
			st, body := h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": alice.Email})
			wantSuccess(t, st, body, 200)
			sent := h.flushMail(t)
			if len(sent) != 1 {
				t.Fatalf("reset mails: %+v", sent)
			}
			m := regexp.MustCompile(`/reset-password/([0-9a-f]{64})`).FindStringSubmatch(sent[0].Text)
			if m == nil {
				t.Fatalf("no reset link in %q", sent[0].Text)
			}
			st, body = h.do(t, "PATCH", "/instamern/users/reset-password/"+m[1], "",
				map[string]any{"password": "fresh-meadow-77", "passwordConfirm": "fresh-meadow-77"})
			wantFail(t, st, body, 403, suspendedMsg) // no session, no reactivation
			st, body = h.do(t, "GET", "/instamern/users/username/alice", "", nil)
			wantFail(t, st, body, 404, "That user is no longer active.")
		})
		t.Run("StaffStillSee", func(t *testing.T) {
			st, body := h.do(t, "GET", "/instamern/admin/users?q=alice", mod.Token, nil)
			wantSuccess(t, st, body, 200)
			users := list(t, body, "data", "users")
			if len(users) != 1 || users[0].(map[string]any)["suspended"] != true || users[0].(map[string]any)["email"] != alice.Email {
				t.Errorf("staff list: %v", body)
			}
		})
		t.Run("AgainConflicts", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/admin/users/"+alice.ID+"/suspend", admin.Token, reason)
			wantFail(t, st, body, 409, "That account is already suspended.")
		})
		t.Run("UnsuspendRestoresLogin", func(t *testing.T) {
			st, body := h.do(t, "POST", "/instamern/admin/users/"+alice.ID+"/unsuspend", mod.Token, map[string]any{"reason": "appeal accepted"})
			wantSuccess(t, st, body, 200)
			st, body = h.do(t, "POST", "/instamern/admin/users/"+alice.ID+"/unsuspend", mod.Token, reason)
			wantFail(t, st, body, 409, "That account is not suspended.")
			tok := h.login(t, "alice", testPassword)
			st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
			wantSuccess(t, st, body, 200)
			_, body = h.do(t, "GET", "/instamern/users/search/alic", "", nil)
			if n := len(list(t, body, "data", "users")); n != 1 {
				t.Errorf("after unsuspend and login, search finds %d users", n)
			}
		})
		t.Run("Audited", func(t *testing.T) {
			log := h.auditActions(t, admin)
			if len(log) != 2 {
				t.Fatalf("audit log: %v", log)
			}
			for i, want := range []struct{ action, reason string }{{"user.unsuspend", "appeal accepted"}, {"user.suspend", "posting spam"}} {
				e := log[i]
				if e["action"] != want.action || e["reason"] != want.reason || e["actor"] != mod.ID ||
					e["targetType"] != "user" || e["targetId"] != alice.ID || e["createdAt"] == "" {
					t.Errorf("entry %d: %v, want %s by %s", i, e, want.action, mod.ID)
				}
			}
		})
	})
}

// A role change ends the target's sessions (rotation on privilege change).
func TestSetRole(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, _, admin := h.staffUsers(t)
		bob := h.signup(t, "bob")
		st, body := h.do(t, "PATCH", "/instamern/admin/users/"+bob.ID+"/role", admin.Token, map[string]any{"role": "moderator", "reason": "helps a lot"})
		wantSuccess(t, st, body, 200)
		if obj(t, body, "data", "user")["role"] != "moderator" {
			t.Errorf("answer %v", body)
		}
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", bob.Token, nil)
		wantFail(t, st, body, 401, "")
		tok := h.login(t, "bob", testPassword)
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", tok, nil)
		wantSuccess(t, st, body, 200)
		if obj(t, body, "data", "user")["role"] != "moderator" {
			t.Errorf("current user after promotion: %v", body)
		}
		st, _ = h.do(t, "GET", "/instamern/admin/users", tok, nil)
		if st != 200 {
			t.Errorf("new moderator lists users: %d", st)
		}
		log := h.auditActions(t, admin)
		if len(log) != 1 || log[0]["action"] != "user.role" || log[0]["detail"] != "user -> moderator" || log[0]["reason"] != "helps a lot" {
			t.Errorf("audit log: %v", log)
		}
	})
}

// Bad ids, roles, reasons and bodies are 400s, and nothing is written.
func TestAdminBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, _, admin := h.staffUsers(t)
		bob := h.signup(t, "bob")
		missing := gram.NewID(h.clock.Now())
		long := strings.Repeat("x", gram.ReasonMax+1)
		cases := []struct {
			name, method, path string
			body               any
			status             int
			msg                string
		}{
			{"SuspendBadID", "POST", "/instamern/admin/users/nope/suspend", reason, 400, "The id is not valid."},
			{"SuspendTraversal", "POST", "/instamern/admin/users/..%2f..%2fetc/suspend", reason, 400, ""},
			{"SuspendNoReason", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", nil, 400, "Please give a reason for this action."},
			{"SuspendBlankReason", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", map[string]any{"reason": " \x00\t\n "}, 400, "Please give a reason for this action."},
			{"SuspendLongReason", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", map[string]any{"reason": long}, 400, "The reason cannot be longer than 500 characters."},
			{"SuspendReasonNotString", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", map[string]any{"reason": 5}, 400, `The field "reason" must be a string.`},
			{"SuspendOperator", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", map[string]any{"reason": map[string]any{"$gt": ""}}, 400, ""},
			{"SuspendUnknown", "POST", "/instamern/admin/users/" + missing + "/suspend", reason, 404, "User not found."},
			{"RoleBad", "PATCH", "/instamern/admin/users/" + bob.ID + "/role", map[string]any{"role": "root", "reason": "x"}, 400, "The role must be user, moderator or admin."},
			{"RoleMissing", "PATCH", "/instamern/admin/users/" + bob.ID + "/role", map[string]any{"reason": "x"}, 400, "The role must be user, moderator or admin."},
			{"RoleNoReason", "PATCH", "/instamern/admin/users/" + bob.ID + "/role", map[string]any{"role": "admin"}, 400, "Please give a reason for this action."},
			{"RoleBadID", "PATCH", "/instamern/admin/users/123/role", map[string]any{"role": "admin", "reason": "x"}, 400, "The id is not valid."},
			{"RoleUnknown", "PATCH", "/instamern/admin/users/" + missing + "/role", map[string]any{"role": "admin", "reason": "x"}, 404, "User not found."},
			{"DeletePostBadID", "DELETE", "/instamern/admin/posts/zz", reason, 400, "The id is not valid."},
			{"DeletePostNoReason", "DELETE", "/instamern/admin/posts/" + missing, nil, 400, "Please give a reason for this action."},
			{"DeletePostUnknown", "DELETE", "/instamern/admin/posts/" + missing, reason, 404, "Not found post to delete."},
			{"DeleteCommentUnknown", "DELETE", "/instamern/admin/comments/" + missing + "?reason=x", nil, 404, "Not found any comment to delete."},
			{"DeleteStoryUnknown", "DELETE", "/instamern/admin/stories/" + missing + "?reason=x", nil, 404, "Not found story to delete."},
			{"ListBadLimit", "GET", "/instamern/admin/users?limit=-1", nil, 400, "The limit must be a positive whole number."},
			{"ListBadCursor", "GET", "/instamern/admin/users?before=abc", nil, 400, "The cursor is not valid."},
			{"AuditBadCursor", "GET", "/instamern/admin/audit?before=1_x", nil, 400, "The cursor is not valid."},
			{"NotJSON", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", "{reason", 400, "The request body is not valid JSON."},
			{"DuplicateKey", "POST", "/instamern/admin/users/" + bob.ID + "/suspend", `{"reason":"a","reason":"b"}`, 400, `The field "reason" appears more than once.`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				st, body := h.do(t, tc.method, tc.path, admin.Token, tc.body)
				wantFail(t, st, body, tc.status, tc.msg)
			})
		}
		if log := h.auditActions(t, admin); len(log) != 0 {
			t.Errorf("failed actions wrote audit entries: %v", log)
		}
		st, body := h.do(t, "GET", "/instamern/users/authorization/current-user", bob.Token, nil)
		wantSuccess(t, st, body, 200) // bob was never touched
	})
}

// Staff delete any post, comment or story with a reason, through the one
// delete path of each; every deletion of someone else's content is audited.
func TestAdminDeleteContent(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		plain, mod, admin := h.staffUsers(t)
		alice := h.signup(t, "alice")
		postOf := func(u user) string { return h.post(t, u, "p") }
		commentOn := func(postID string, u user) string {
			st, body := h.do(t, "POST", "/instamern/posts/comments/"+postID, u.Token, map[string]any{"comment": "c"})
			wantSuccess(t, st, body, 201)
			return obj(t, body, "data", "comment")["_id"].(string)
		}
		storyOf := func(u user) string {
			st, body := h.upload(t, "/instamern/stories/upload", u.Token, "story", "s.jpg", jpegImage(t, 40, 40), nil)
			wantSuccess(t, st, body, 201)
			return obj(t, body, "data", "story")["_id"].(string)
		}

		p1, p2 := postOf(alice), postOf(admin)
		c1 := commentOn(p1, plain)
		s1 := storyOf(alice)
		st, body := h.do(t, "DELETE", "/instamern/admin/posts/"+p1, plain.Token, reason)
		wantFail(t, st, body, 403, "Only moderators and admins can do that.")

		st, body = h.do(t, "DELETE", "/instamern/admin/comments/"+c1, mod.Token, map[string]any{"reason": "rude"})
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "DELETE", "/instamern/admin/posts/"+p2+"?reason="+url.QueryEscape("off topic"), mod.Token, nil)
		wantSuccess(t, st, body, 200) // moderators may delete an admin's post
		st, body = h.do(t, "DELETE", "/instamern/admin/stories/"+s1, admin.Token, map[string]any{"reason": "nsfw"})
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "GET", "/instamern/posts/"+p2, "", nil)
		wantFail(t, st, body, 404, "")
		_, body = h.do(t, "GET", "/instamern/posts/"+p1, "", nil)
		if n := len(list(t, body, "data", "post", "comments")); n != 0 {
			t.Errorf("comment still shown: %v", body)
		}

		// Staff deleting through the owners' endpoint are audited too;
		// owners deleting their own content are not staff actions.
		st, body = h.do(t, "DELETE", "/instamern/posts/delete/"+p1, mod.Token, nil)
		wantSuccess(t, st, body, 200)
		own := postOf(alice)
		st, body = h.do(t, "DELETE", "/instamern/posts/delete/"+own, alice.Token, nil)
		wantSuccess(t, st, body, 200)

		log := h.auditActions(t, admin)
		want := []struct{ action, target, actor, reason string }{
			{"post.delete", p1, mod.ID, "(no reason given: deleted through the owner's endpoint)"},
			{"story.delete", s1, admin.ID, "nsfw"},
			{"post.delete", p2, mod.ID, "off topic"},
			{"comment.delete", c1, mod.ID, "rude"},
		}
		if len(log) != len(want) {
			t.Fatalf("audit log has %d entries, want %d: %v", len(log), len(want), log)
		}
		for i, w := range want {
			e := log[i]
			if e["action"] != w.action || e["targetId"] != w.target || e["actor"] != w.actor || e["reason"] != w.reason {
				t.Errorf("entry %d = %v, want %+v", i, e, w)
			}
		}
	})
}

// The staff list pages newest first, filters by username or email, shows
// emails and suspended or deactivated accounts.
func TestAdminUserList(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, mod, _ := h.staffUsers(t)
		for _, n := range []string{"anna", "bert", "carl"} {
			h.signup(t, n)
		}
		st, body := h.do(t, "DELETE", "/instamern/users/deactivate", h.login(t, "bert", testPassword), map[string]any{"currentPassword": testPassword})
		wantSuccess(t, st, body, 200)

		var names []string
		path := "/instamern/admin/users?limit=2"
		for pages := 0; path != ""; pages++ {
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			st, body := h.do(t, "GET", path, mod.Token, nil)
			wantSuccess(t, st, body, 200)
			for _, u := range list(t, body, "data", "users") {
				m := u.(map[string]any)
				mustHave(t, m, "email", "role", "active", "suspended", "createdAt")
				mustLack(t, m, "password", "passwordHash")
				names = append(names, m["username"].(string))
			}
			path = ""
			if next, _ := body["next"].(string); next != "" {
				path = "/instamern/admin/users?limit=2&before=" + url.QueryEscape(next)
			}
		}
		want := []string{"carl", "bert", "anna", "admin", "mod", "plain"}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("users %v, want %v (newest first, deactivated included)", names, want)
		}
		st, body = h.do(t, "GET", "/instamern/admin/users?q=BERT%40example", mod.Token, nil)
		wantSuccess(t, st, body, 200)
		if users := list(t, body, "data", "users"); len(users) != 1 || users[0].(map[string]any)["active"] != false {
			t.Errorf("search by email: %v", body)
		}
		// Public payloads never carry the email.
		_, body = h.do(t, "GET", "/instamern/users/search/anna", mod.Token, nil)
		mustLack(t, list(t, body, "data", "users")[0].(map[string]any), "email")
	})
}

// Every staff route counts in the write class, reads included; the
// session list is a read.
func TestAdminRateLimited(t *testing.T) {
	base := newHarness(t, backends()[0])
	_, _, admin := base.staffUsers(t)
	h := base.limited(t, ratelimit.NewMemory(nil), func(c *api.Config) {
		c.ReadLimit = ratelimit.Rule{Limit: 100, Window: time.Hour}
		c.WriteLimit = ratelimit.Rule{Limit: 2, Window: time.Hour}
	})
	for _, p := range []string{"/instamern/admin/users", "/instamern/admin/audit"} {
		st, body, hd := h.from(t, "198.51.100.7", "GET", p, admin.Token, nil)
		wantSuccess(t, st, body, 200)
		if hd.Get("RateLimit-Limit") != "2" {
			t.Fatalf("GET %s: headers %v, want the write rule", p, hd)
		}
	}
	st, body, hd := h.from(t, "198.51.100.7", "POST", "/instamern/admin/users/"+admin.ID+"/suspend", admin.Token, reason)
	want429(t, st, body, hd, "Too many requests.")
	st, body, hd = h.from(t, "198.51.100.8", "GET", "/instamern/users/sessions", admin.Token, nil)
	wantSuccess(t, st, body, 200)
	if hd.Get("RateLimit-Limit") != "100" {
		t.Errorf("session list headers %v, want the read rule", hd)
	}
}
