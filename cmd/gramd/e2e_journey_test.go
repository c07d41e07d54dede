package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// accounts carries the two users from the account journey to the content
// journey.
var accounts struct {
	alice, bob account
	bobPost    string // a post that outlives alice's account
}

type account struct{ id, username, email, password, token string }

func signup(t *testing.T, g *gramd, first, last, username string) account {
	t.Helper()
	a := account{username: username, email: username + "@example.com", password: "lantern-orbit-42"}
	r := g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": first, "lastname": last,
		"username": username, "email": a.email, "password": a.password, "passwordConfirm": a.password}, 201)
	wantMessage(t, r, "You've signed up successfully. Welcome to InstaMERN!")
	if r.Token == "" || r.Data.User.ID == "" || r.Data.User.Password != nil {
		t.Fatalf("signup: want token and user without password; body %s", r.Raw)
	}
	a.id, a.token = r.Data.User.ID, r.Token
	return a
}

func login(t *testing.T, g *gramd, username, password string) string {
	t.Helper()
	r := g.call("POST", "/instamern/users/login", "", map[string]string{"username": username, "password": password}, 200)
	wantMessage(t, r, "Welcome back "+username+"!")
	if r.Token == "" {
		t.Fatalf("login: no token; body %s", r.Raw)
	}
	return r.Token
}

func currentUser(t *testing.T, g *gramd, token string) user {
	t.Helper()
	r := g.call("GET", "/instamern/users/authorization/current-user", token, nil, 200)
	u := r.Data.User
	if u.ID == "" || u.Followings == nil || u.Notifications == nil || u.Password != nil {
		t.Fatalf("current-user: want _id, followings[] and notifications[], no password; body %s", r.Raw)
	}
	return u
}

func accountJourney(t *testing.T, g *gramd) {
	g.t = t
	clientBasics(t, g)
	alice := signup(t, g, "Alice", "Liddell", "alice")
	bob := signup(t, g, "Bob", "Builder", "bob")
	alice.token = login(t, g, "alice", alice.password)
	bob.token = login(t, g, "bob", bob.password)
	me := currentUser(t, g, alice.token)
	if me.ID != alice.id || me.Username != "alice" || me.Email != alice.email || len(me.Followings) != 0 {
		t.Fatalf("alice's current-user = %+v", me)
	}

	wantMessage(t, g.call("POST", "/instamern/users/follow/alice", bob.token, nil, 200), "Now, you are following alice")
	me = currentUser(t, g, alice.token)
	if len(me.Notifications) != 1 || me.Notifications[0].Notification != "followed you." ||
		me.Notifications[0].NotifiedBy != bob.id || me.Notifications[0].ID == "" {
		t.Fatalf("alice's notifications = %+v, want one \"followed you.\" by bob %s", me.Notifications, bob.id)
	}
	if bobMe := currentUser(t, g, bob.token); !slices.Equal(bobMe.Followings, []string{alice.id}) {
		t.Fatalf("bob's followings = %v, want [alice]", bobMe.Followings)
	}

	r := g.call("GET", "/instamern/users/search/ali", "", nil, 200)
	if len(r.Data.Users) != 1 || r.Data.Users[0].ID != alice.id || r.Data.Users[0].Password != nil || r.Data.Users[0].Email != "" {
		t.Fatalf("search ali: want only alice without email or password; body %s", r.Raw)
	}
	r = g.call("GET", "/instamern/users/username/alice", "", nil, 200)
	if p := r.Data.User; !slices.Equal(p.Followers, []string{bob.id}) || p.Posts == nil || p.Email != "" || p.Notifications != nil {
		t.Fatalf("alice's profile: want followers [bob], posts[], no email or notifications; body %s", r.Raw)
	}

	wantMessage(t, g.call("PATCH", "/instamern/users/update", alice.token, map[string]string{"firstname": "Alicia",
		"lastname": "Liddell", "username": "alicia", "bio": "Down the rabbit hole"}, 200), "Your profile has been updated successfully.")
	alice.username = "alicia"
	g.call("GET", "/instamern/users/username/alice", "", nil, 404)
	if p := g.call("GET", "/instamern/users/username/alicia", "", nil, 200).Data.User; p.ID != alice.id ||
		p.Firstname != "Alicia" || p.Bio != "Down the rabbit hole" {
		t.Fatalf("updated profile = %+v", p)
	}

	// Changing the password keeps the caller's session (the client ignores
	// the new token) and revokes every other session of the user.
	other := login(t, g, "alicia", alice.password)
	newPassword := "changed-" + alice.password
	r = g.call("PATCH", "/instamern/users/change-password", alice.token, map[string]string{
		"currentPassword": alice.password, "password": newPassword, "passwordConfirm": newPassword}, 200)
	wantMessage(t, r, "Your password has been updated successfully.")
	if r.Token == "" {
		t.Fatalf("change-password: no token; body %s", r.Raw)
	}
	alice.password = newPassword
	currentUser(t, g, alice.token)
	currentUser(t, g, r.Token)
	g.call("GET", "/instamern/users/authorization/current-user", other, nil, 401)

	wantMessage(t, g.call("POST", "/instamern/users/logout", alice.token, nil, 200), "You're logged out successfully.")
	g.call("GET", "/instamern/users/authorization/current-user", alice.token, nil, 401)

	// Password reset through the outbox folder of the embedded default.
	// An unknown address gets the same answer (no user enumeration).
	unknown := g.call("POST", "/instamern/users/forgot-password", "", map[string]string{"email": "nobody@example.com"}, 200)
	known := g.call("POST", "/instamern/users/forgot-password", "", map[string]string{"email": alice.email}, 200)
	if known.Message != unknown.Message || known.Message == "" {
		t.Fatalf("forgot-password messages differ for known and unknown addresses: %q vs %q", known.Message, unknown.Message)
	}
	token := g.resetToken(alice.email)
	resetPassword := "reset-" + alice.password
	r = g.call("PATCH", "/instamern/users/reset-password/"+token, "", map[string]string{
		"password": resetPassword, "passwordConfirm": resetPassword}, 200)
	wantMessage(t, r, "Your password has been updated successfully.")
	g.call("PATCH", "/instamern/users/reset-password/"+token, "", map[string]string{
		"password": resetPassword + "x", "passwordConfirm": resetPassword + "x"}, 404) // single use
	g.call("POST", "/instamern/users/login", "", map[string]string{"username": "alicia", "password": alice.password}, 401)
	alice.password = resetPassword
	alice.token = login(t, g, "alicia", alice.password)
	accounts.alice, accounts.bob = alice, bob
}

func contentJourney(t *testing.T, g *gramd) {
	g.t = t
	alice, bob := accounts.alice, accounts.bob
	mediaBase := g.base + "/media/"

	r := g.upload("/instamern/posts/upload", alice.token, "post", testJPEG(t, 1500, 2000), map[string]string{"caption": "First light"}, 201)
	wantMessage(t, r, "Your post has been uploaded successfully.")
	p := r.Data.Post
	if p.ID == "" || p.IDCopy != p.ID || p.PostedBy != alice.id || p.Caption != "First light" || len(p.Likes) != 0 ||
		!strings.HasPrefix(p.Photo, mediaBase) {
		t.Fatalf("uploaded post = %+v, want it by alice with a photo under %s", p, mediaBase)
	}
	if cfg := fetchImage(t, p.Photo); cfg.Width != 1080 || cfg.Height != 1350 {
		t.Fatalf("post photo is %dx%d, want 1080x1350", cfg.Width, cfg.Height)
	}
	if f := feedFirst(t, g); f.ID != p.ID || f.Like != 0 || f.Comment != 0 {
		t.Fatalf("feed first = %+v, want the new post with like 0", f)
	}

	wantMessage(t, g.call("POST", "/instamern/posts/like/"+p.ID, bob.token, nil, 200), "Liked!")
	if f := feedFirst(t, g); f.Like != 1 || !slices.Equal(f.Likes, []string{bob.id}) {
		t.Fatalf("feed after like = %+v, want like 1 by bob", f)
	}
	wantMessage(t, g.call("POST", "/instamern/posts/like/"+p.ID, bob.token, nil, 200), "Unliked.")
	if f := feedFirst(t, g); f.Like != 0 || len(f.Likes) != 0 {
		t.Fatalf("feed after unlike = %+v, want like 0", f)
	}
	wantMessage(t, g.call("POST", "/instamern/posts/comments/"+p.ID, bob.token, map[string]string{"comment": "nice"}, 201), "Commented!")
	d := g.call("GET", "/instamern/posts/"+p.ID, "", nil, 200).Data.Post
	if d.IDCopy != d.ID || d.ID != p.ID || len(d.Comments) != 1 || d.Comments[0].Comment != "nice" || d.Comments[0].CommentedBy != bob.id {
		t.Fatalf("post detail = %+v, want id == _id and bob's comment \"nice\"", d)
	}
	var texts []string
	for _, n := range currentUser(t, g, alice.token).Notifications {
		texts = append(texts, n.Notification)
	}
	for _, want := range []string{"followed you.", "liked your photo.", "commented your photo."} {
		if !slices.Contains(texts, want) {
			t.Errorf("alice's notifications %q lack %q", texts, want)
		}
	}

	r = g.upload("/instamern/stories/upload", alice.token, "story", testJPEG(t, 1500, 2000), nil, 201)
	wantMessage(t, r, "Story has been uploaded.")
	st := r.Data.Story
	stories := g.call("GET", "/instamern/stories/", "", nil, 200).Data.Stories
	i := slices.IndexFunc(stories, func(sg storyGroup) bool { return sg.ID == alice.id })
	if i < 0 || len(stories[i].Stories) != 1 || stories[i].Stories[0].StoryID != st.ID || stories[i].Stories[0].Photo != st.Photo {
		t.Fatalf("stories = %+v, want alice's group with story %+v", stories, st)
	}
	if cfg := fetchImage(t, st.Photo); cfg.Width != 1080 {
		t.Fatalf("story photo is %dx%d, want 1080 wide", cfg.Width, cfg.Height)
	}

	r = g.upload("/instamern/users/upload", alice.token, "photo", testJPEG(t, 640, 480), nil, 200)
	avatar := currentUser(t, g, alice.token).Photo
	if !strings.HasPrefix(avatar, mediaBase) {
		t.Fatalf("avatar photo %q, want an absolute URL under %s; upload body %s", avatar, mediaBase, r.Raw)
	}
	if cfg := fetchImage(t, avatar); cfg.Width != 320 || cfg.Height != 320 {
		t.Fatalf("avatar is %dx%d, want 320x320", cfg.Width, cfg.Height)
	}
	g.call("POST", "/instamern/users/remove", alice.token, nil, 200)
	if photo := currentUser(t, g, alice.token).Photo; photo != "" {
		t.Fatalf("photo after remove = %q, want none", photo)
	}
	wantGone(t, avatar)
	g.upload("/instamern/users/upload", alice.token, "photo", testJPEG(t, 400, 400), nil, 200)
	avatar = currentUser(t, g, alice.token).Photo
	fetchImage(t, avatar)

	bobPost := g.upload("/instamern/posts/upload", bob.token, "post", testJPEG(t, 1080, 1350), map[string]string{"caption": ""}, 201).Data.Post
	accounts.bobPost = bobPost.ID
	wantMessage(t, g.call("POST", "/instamern/posts/like/"+bobPost.ID, alice.token, nil, 200), "Liked!")
	g.call("POST", "/instamern/posts/comments/"+bobPost.ID, alice.token, map[string]string{"comment": "  lovely  "}, 201)

	wantMessage(t, g.call("POST", "/instamern/posts/update/"+p.ID, alice.token, map[string]string{"caption": "Golden hour"}, 200),
		"Your post has been updated successfully.")
	if c := g.call("GET", "/instamern/posts/"+p.ID, "", nil, 200).Data.Post.Caption; c != "Golden hour" {
		t.Fatalf("caption after update = %q", c)
	}
	g.call("POST", "/instamern/posts/update/"+p.ID, bob.token, map[string]string{"caption": "mine"}, 403)
	g.call("DELETE", "/instamern/posts/delete/"+p.ID, bob.token, nil, 403)
	deletePost(t, g, alice.token, p.ID)
	g.call("GET", "/instamern/posts/"+p.ID, "", nil, 404)
	wantGone(t, p.Photo)

	g.call("DELETE", "/instamern/users/delete", alice.token, map[string]string{"currentPassword": "wrong password"}, 401)
	deleteAccount(t, g, alice.token, alice.password)
	g.call("GET", "/instamern/users/username/alicia", "", nil, 404)
	g.call("GET", "/instamern/users/id/"+alice.id, "", nil, 404)
	g.call("GET", "/instamern/users/authorization/current-user", alice.token, nil, 401)
	wantGone(t, st.Photo)
	wantGone(t, avatar)
	if f := currentUser(t, g, bob.token).Followings; len(f) != 0 {
		t.Fatalf("bob's followings after alice's deletion = %v, want none", f)
	}
	// Her like and comment on bob's post went with her account.
	if d := g.call("GET", "/instamern/posts/"+bobPost.ID, "", nil, 200).Data.Post; len(d.Likes) != 0 || len(d.Comments) != 0 {
		t.Fatalf("bob's post after alice's deletion = %+v, want no likes or comments", d)
	}
	if f := feedFirst(t, g); f.ID != bobPost.ID || f.Like != 0 || f.Comment != 0 {
		t.Fatalf("feed after alice's deletion = %+v, want bob's post with like 0 and comment 0", f)
	}
	if stories := g.call("GET", "/instamern/stories/", "", nil, 200).Data.Stories; len(stories) != 0 {
		t.Fatalf("stories after alice's deletion = %+v, want none", stories)
	}
}

// clientBasics checks what the browser and the client rely on before any
// account exists: the CORS preflight of the deployed and the local client,
// JSON 401s for the tokens an anonymous client sends, JSON 404s, and an
// idempotent logout.
func clientBasics(t *testing.T, g *gramd) {
	t.Helper()
	for _, origin := range []string{"https://instamern.netlify.app", "http://localhost:3000"} {
		req, _ := http.NewRequest(http.MethodOptions, g.base+"/instamern/users/signup", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type,authorization")
		res, err := g.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		h := res.Header
		if res.StatusCode/100 != 2 || h.Get("Access-Control-Allow-Origin") != origin ||
			h.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "PATCH") {
			t.Fatalf("preflight from %s: %d %v", origin, res.StatusCode, h)
		}
	}
	for _, tok := range []string{"null", "undefined", "garbage.token.value"} {
		g.call("GET", "/instamern/users/authorization/current-user", tok, nil, 401)
		g.call("POST", "/instamern/posts/like/000000000000000000000000", tok, nil, 401)
	}
	g.call("GET", "/instamern/nothing-here", "", nil, 404)
	g.call("POST", "/instamern/users/logout", "", nil, 200)
	g.call("POST", "/instamern/users/follow/nobody", "", nil, 401)
}

func feedFirst(t *testing.T, g *gramd) post {
	t.Helper()
	r := g.call("GET", "/instamern/posts/", "", nil, 200)
	if len(r.Data.Posts) == 0 {
		t.Fatalf("empty feed; body %s", r.Raw)
	}
	return r.Data.Posts[0]
}

// deletePost and deleteAccount accept 204 or 200 JSON: the contract leaves
// the choice free for these endpoints the client never calls.
func deletePost(t *testing.T, g *gramd, token, id string) {
	t.Helper()
	expectDeleted(t, g, "/instamern/posts/delete/"+id, token, nil)
}

func deleteAccount(t *testing.T, g *gramd, token, password string) {
	t.Helper()
	expectDeleted(t, g, "/instamern/users/delete", token, map[string]string{"currentPassword": password})
}

func expectDeleted(t *testing.T, g *gramd, path, token string, body any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodDelete, g.base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := g.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusNoContent && (res.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"success"`))) {
		t.Fatalf("DELETE %s: status %d, want 204 or 200 success; body %s", path, res.StatusCode, raw)
	}
}
