package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// User text is stored as typed and read back exactly, markup and entities
// included: escaping is the renderer's job. Every JSON body carries it
// with <, > and & escaped, so no response holds a raw tag.
func TestUserTextRoundTrips(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		const (
			first   = `<b>Ada</b>`
			last    = `"><img src=x>`
			bio     = "if a<b && b>c then\n<script>alert(1)</script>"
			caption = "x<y and y>z; 2 &lt; 3"
			edited  = `<a href="javascript:alert(1)">x</a> &amp;`
			comment = "if a<b && b>c then"
			script  = "<script>alert(1)</script>"
		)
		st, body := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
			"firstname": first, "lastname": last, "username": "ada", "email": "ada@example.com",
			"password": testPassword, "passwordConfirm": testPassword,
		})
		wantSuccess(t, st, body, http.StatusCreated)
		token := body["token"].(string)
		st, body = h.do(t, "PATCH", "/instamern/users/update", token, map[string]any{"bio": bio})
		wantSuccess(t, st, body, 200)
		st, body = h.upload(t, "/instamern/posts/upload", token, "post", "p.jpg", jpegImage(t, 16, 20), map[string]string{"caption": caption})
		wantSuccess(t, st, body, http.StatusCreated)
		postID := obj(t, body, "data", "post")["_id"].(string)
		for _, c := range []string{comment, script} {
			st, body = h.do(t, "POST", "/instamern/posts/comments/"+postID, token, map[string]any{"comment": c})
			wantSuccess(t, st, body, http.StatusCreated)
		}

		me := h.readText(t, "/instamern/users/authorization/current-user", token)
		u := obj(t, me, "data", "user")
		if u["firstname"] != first || u["lastname"] != last || u["bio"] != bio {
			t.Errorf("current user %q %q %q; want %q %q %q", u["firstname"], u["lastname"], u["bio"], first, last, bio)
		}
		profile := obj(t, h.readText(t, "/instamern/users/username/ada", ""), "data", "user")
		if profile["firstname"] != first || profile["bio"] != bio {
			t.Errorf("profile %q %q", profile["firstname"], profile["bio"])
		}
		post := obj(t, h.readText(t, "/instamern/posts/"+postID, ""), "data", "post")
		if post["caption"] != caption {
			t.Errorf("caption %q, want %q", post["caption"], caption)
		}
		var got []string
		for _, c := range list(t, post, "comments") {
			got = append(got, c.(map[string]any)["comment"].(string))
		}
		if strings.Join(got, "|") != comment+"|"+script {
			t.Errorf("comments %q", got)
		}

		st, body = h.do(t, "POST", "/instamern/posts/update/"+postID, token, map[string]any{"caption": edited})
		wantSuccess(t, st, body, 200)
		feed := list(t, h.readText(t, "/instamern/posts", ""), "data", "posts")
		if len(feed) != 1 || feed[0].(map[string]any)["caption"] != edited {
			t.Errorf("feed %v; want the caption %q", feed, edited)
		}
	})
}

// readText GETs path and fails if the JSON body holds a raw <, > or &:
// encoding/json escapes them, so that a body sniffed or embedded as HTML
// cannot carry a tag.
func (h *harness) readText(t *testing.T, path, token string) map[string]any {
	t.Helper()
	res, raw := h.request(t, "GET", path, token, nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, raw)
	}
	if i := bytes.IndexAny(raw, "<>&"); i >= 0 {
		t.Errorf("GET %s: raw %q in the body at %d: %s", path, raw[i], i, raw)
	}
	return envelopeOf(t, res, raw)
}

// One email rule everywhere: a Unicode variant of a registered address
// (fullwidth, uppercase, compatibility letters) is that address; an
// address with a Cyrillic lookalike letter is refused.
func TestEmailLookalikes(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		variants := []string{"ALICE@EXAMPLE.COM", "ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", " Alice@Example.com ", "alice@EXAMPLE\u3002com"}
		lookalikes := []string{"\u0430lice@example.com", "alice@ex\u0430mple.com", "alice@g\u03bfogle.com"}

		for i, email := range variants {
			st, body := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
				"firstname": "Eve", "lastname": "Eve", "username": "eve" + string(rune('a'+i)), "email": email,
				"password": testPassword, "passwordConfirm": testPassword,
			})
			wantFail(t, st, body, http.StatusConflict, "This user already exists.")
			st, body = h.do(t, "PATCH", changeEmailPath, alice.Token, map[string]any{"currentPassword": testPassword, "email": email})
			wantFail(t, st, body, 400, "That email address is already the same as the existing one.")

			h.flushMail(t)
			st, body = h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": email})
			wantSuccess(t, st, body, 200)
			if sent := h.flushMail(t); len(sent) != 1 || sent[0].To != alice.Email {
				t.Errorf("forgot-password for %q mailed %+v; want one mail to %s", email, sent, alice.Email)
			}
		}
		for i, email := range lookalikes {
			st, body := h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
				"firstname": "Eve", "lastname": "Eve", "username": "mallory" + string(rune('a'+i)), "email": email,
				"password": testPassword, "passwordConfirm": testPassword,
			})
			wantFail(t, st, body, 400, "Invalid email address.")
			st, body = h.do(t, "PATCH", changeEmailPath, alice.Token, map[string]any{"currentPassword": testPassword, "email": email})
			wantFail(t, st, body, 400, "Please type a valid email address.")
			st, body = h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": email})
			wantFail(t, st, body, 400, "Please type a valid email address.")
		}
		if got := h.emailOf(t, alice); got != alice.Email {
			t.Errorf("alice's email %q", got)
		}

		// An IDN domain is stored, mailed and shown in its ASCII form.
		token := h.requestEmailChange(t, alice, "alice@xn--mnchen-3ya.de")
		st, body := h.confirmEmail(t, token)
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "POST", "/instamern/users/signup", "", map[string]any{
			"firstname": "Eve", "lastname": "Eve", "username": "evez", "email": "Alice@MÜNCHEN.de",
			"password": testPassword, "passwordConfirm": testPassword,
		})
		wantFail(t, st, body, http.StatusConflict, "This user already exists.")
	})
}

// The confirmation page shows the new address as text: characters an
// address may hold (' and &) are escaped in the HTML.
func TestConfirmPageEscapesAddress(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		const addr = "o'brien&co@example.com"
		token := h.requestEmailChange(t, alice, addr)
		res, raw := h.request(t, "POST", gram.ConfirmEmailPath+token, "", []byte{}, map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Origin": "null", "Sec-Fetch-Site": "same-origin"})
		page := string(raw)
		if res.StatusCode != 200 || !strings.Contains(page, "o&#39;brien&amp;co@example.com") || strings.Contains(page, addr) {
			t.Fatalf("page %d, want the address escaped:\n%s", res.StatusCode, page)
		}
	})
}
