package api_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"
)

// jsonEndpoint is an endpoint that takes a JSON object body.
type jsonEndpoint struct {
	name, method string
	path         func(fx *fixture) string
	token        func(fx *fixture) string         // nil: anonymous
	body         func(fx *fixture) map[string]any // a well-formed body: every field the endpoint reads
}

func alicesToken(fx *fixture) string { return fx.alice.Token }
func bobsToken(fx *fixture) string   { return fx.bob.Token }
func adminsToken(fx *fixture) string { return fx.admin.Token }

// missingPath is a staff deletion of content that does not exist: the
// body is checked first, and an accepted one deletes nothing.
func missingPath(prefix string) func(*fixture) string {
	return fixed(prefix + "ffffffffffffffffffffffff")
}

func reasonBody(*fixture) map[string]any { return map[string]any{"reason": "spam"} }

func fixed(p string) func(*fixture) string { return func(*fixture) string { return p } }

// jsonEndpoints lists every endpoint with a JSON body (routes.go). A new
// JSON endpoint belongs here, so that the whole suite covers it.
var jsonEndpoints = []jsonEndpoint{
	{"Signup", "POST", fixed("/instamern/users/signup"), nil, func(fx *fixture) map[string]any {
		name := fx.unique("new")
		return map[string]any{"firstname": "New", "lastname": "User", "username": name, "email": name + "@example.com",
			"password": testPassword, "passwordConfirm": testPassword}
	}},
	{"Login", "POST", fixed("/instamern/users/login"), nil, func(*fixture) map[string]any {
		return map[string]any{"username": "alice", "password": testPassword}
	}},
	{"ForgotPassword", "POST", fixed("/instamern/users/forgot-password"), nil, func(*fixture) map[string]any {
		return map[string]any{"email": "alice@example.com"}
	}},
	{"ResetPassword", "PATCH", func(fx *fixture) string { return "/instamern/users/reset-password/" + fx.resetToken }, nil,
		func(*fixture) map[string]any {
			return map[string]any{"password": "newpass123", "passwordConfirm": "newpass123"}
		}},
	{"UpdateProfile", "PATCH", fixed("/instamern/users/update"), alicesToken, func(*fixture) map[string]any {
		return map[string]any{"firstname": "Alice", "lastname": "Smith", "username": "alice", "bio": "hi there"}
	}},
	{"ChangeEmail", "PATCH", fixed("/instamern/users/change-email"), alicesToken, func(*fixture) map[string]any {
		return map[string]any{"currentPassword": testPassword, "email": "alice2@example.com"}
	}},
	{"ChangePassword", "PATCH", fixed("/instamern/users/change-password"), alicesToken, func(*fixture) map[string]any {
		return map[string]any{"currentPassword": testPassword, "password": "newpass123", "passwordConfirm": "newpass123"}
	}},
	{"Deactivate", "DELETE", fixed("/instamern/users/deactivate"), bobsToken, func(*fixture) map[string]any {
		return map[string]any{"currentPassword": testPassword}
	}},
	{"DeleteAccount", "DELETE", fixed("/instamern/users/delete"), bobsToken, func(*fixture) map[string]any {
		return map[string]any{"currentPassword": testPassword}
	}},
	{"UpdatePost", "POST", func(fx *fixture) string { return "/instamern/posts/update/" + fx.postID }, alicesToken,
		func(*fixture) map[string]any { return map[string]any{"caption": "new caption"} }},
	{"Comment", "POST", func(fx *fixture) string { return "/instamern/posts/comments/" + fx.postID }, bobsToken,
		func(*fixture) map[string]any { return map[string]any{"comment": "great"} }},
	{"Suspend", "POST", func(fx *fixture) string { return "/instamern/admin/users/" + fx.carl.ID + "/suspend" }, adminsToken, reasonBody},
	{"Unsuspend", "POST", func(fx *fixture) string { return "/instamern/admin/users/" + fx.carl.ID + "/unsuspend" }, adminsToken, reasonBody},
	{"SetRole", "PATCH", func(fx *fixture) string { return "/instamern/admin/users/" + fx.carl.ID + "/role" }, adminsToken,
		func(*fixture) map[string]any { return map[string]any{"role": "moderator", "reason": "trusted"} }},
	{"StaffDeletePost", "DELETE", missingPath("/instamern/admin/posts/"), adminsToken, reasonBody},
	{"StaffDeleteComment", "DELETE", missingPath("/instamern/admin/comments/"), adminsToken, reasonBody},
	{"StaffDeleteStory", "DELETE", missingPath("/instamern/admin/stories/"), adminsToken, reasonBody},
	// The optional note is left out: a null note is no note, and such a
	// report is rightly accepted.
	{"FileReport", "POST", fixed("/instamern/reports"), bobsToken, func(fx *fixture) map[string]any {
		return map[string]any{"type": "post", "id": fx.postID, "reason": "spam"}
	}},
	{"ResolveReport", "POST", fixed("/instamern/admin/reports/ffffffffffffffffffffffff/resolve"), adminsToken,
		func(*fixture) map[string]any { return map[string]any{"action": "dismiss", "reason": "spam"} }},
}

// fields returns the sorted field names of the endpoint's body.
func (ep jsonEndpoint) fields(fx *fixture) []string {
	return slices.Sorted(maps.Keys(ep.body(fx)))
}

// send sends raw as the endpoint's body with ctype (JSON when empty).
func (ep jsonEndpoint) send(t *testing.T, fx *fixture, raw []byte, ctype string) (*http.Response, []byte) {
	t.Helper()
	tok := ""
	if ep.token != nil {
		tok = ep.token(fx)
	}
	hdr := map[string]string{}
	if ctype != "" {
		hdr["Content-Type"] = ctype
	}
	return fx.h.request(t, ep.method, ep.path(fx), tok, raw, hdr)
}

// withField returns the endpoint's body with field set to the raw JSON
// value v, encoded with the other fields in a fixed order.
func (ep jsonEndpoint) withField(t *testing.T, fx *fixture, field string, v json.RawMessage) []byte {
	t.Helper()
	body := ep.body(fx)
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(body)) {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		if k == field {
			buf.Write(v)
			continue
		}
		vb, err := json.Marshal(body[k])
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// eachJSONEndpoint runs fn for every JSON endpoint and field, as named
// subtests, sequentially (the checks compare table snapshots).
func eachJSONField(t *testing.T, fx *fixture, fn func(t *testing.T, ep jsonEndpoint, field string)) {
	t.Helper()
	for _, ep := range jsonEndpoints {
		for _, field := range ep.fields(fx) {
			t.Run(ep.name+"/"+field, func(t *testing.T) { fn(t, ep, field) })
		}
	}
}
