package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The end-to-end tests build the real gramd binary once, start it with
// zero configuration in a temp dir on a free port, and drive it over HTTP
// exactly as the React client does: JSON bodies, multipart uploads and
// "Authorization: Bearer <token>", no cookies.

var binary struct {
	once sync.Once
	dir  string // set by TestMain
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gramd-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gramdBinary builds ./ into a temp dir once per test binary.
func gramdBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the binary; skipped in -short mode")
	}
	binary.once.Do(func() {
		binary.path = filepath.Join(binary.dir, "gramd")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// syncBuffer collects the process's output; the test reads it while the
// process writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// gramd is one running server process.
type gramd struct {
	t    *testing.T
	cmd  *exec.Cmd
	dir  string // working directory: ./data lives here
	base string // http://localhost:<port>
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // cmd.Wait's result, valid after done
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// minimalEnv is the environment of a zero-configuration start plus extra.
func minimalEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, extra...)
}

// startGramd starts the binary in dir (a fresh temp dir when "") with
// only PORT (and extra) set and waits until /healthz answers. The process
// is killed at the end of the test if it is still running.
func startGramd(t *testing.T, dir string, extra ...string) *gramd {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	port := freePort(t)
	g := &gramd{t: t, dir: dir, base: "http://localhost:" + port, out: &syncBuffer{}, done: make(chan struct{})}
	g.cmd = exec.Command(gramdBinary(t))
	g.cmd.Dir = g.dir
	g.cmd.Env = minimalEnv(append([]string{"PORT=" + port}, extra...)...)
	g.cmd.Stdout, g.cmd.Stderr = g.out, g.out
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.err = g.cmd.Wait(); close(g.done) }()
	t.Cleanup(func() {
		select {
		case <-g.done:
		default:
			_ = g.cmd.Process.Kill()
			<-g.done
		}
		if t.Failed() {
			t.Logf("gramd output:\n%s", g.out.String())
		}
	})
	g.waitHealthy()
	return g
}

func (g *gramd) waitHealthy() {
	g.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-g.done:
			g.t.Fatalf("gramd exited before it was healthy: %v\n%s", g.err, g.out.String())
		default:
		}
		res, err := http.Get(g.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	g.t.Fatalf("gramd not healthy within 20s:\n%s", g.out.String())
}

// terminate sends SIGTERM and requires a clean exit (status 0) within 10s.
func (g *gramd) terminate() {
	g.t.Helper()
	if err := g.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		g.t.Fatal(err)
	}
	g.waitExit(10 * time.Second)
	if g.err != nil {
		g.t.Fatalf("gramd exited with %v after SIGTERM, want status 0:\n%s", g.err, g.out.String())
	}
}

func (g *gramd) waitExit(d time.Duration) {
	g.t.Helper()
	select {
	case <-g.done:
	case <-time.After(d):
		g.t.Fatalf("gramd did not exit within %v:\n%s", d, g.out.String())
	}
}

// waitLog polls the process output for substr.
func (g *gramd) waitLog(substr string, d time.Duration) {
	g.t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(g.out.String(), substr) {
		if time.Now().After(deadline) {
			g.t.Fatalf("no %q in the gramd output within %v:\n%s", substr, d, g.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// reply is a decoded response: the contract's envelope plus the status.
type reply struct {
	Code    int    `json:"-"`
	Raw     string `json:"-"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Token   string `json:"token"`
	Results *int   `json:"results"`
	Data    struct {
		User    user         `json:"user"`
		Users   []user       `json:"users"`
		Post    post         `json:"post"`
		Posts   []post       `json:"posts"`
		Story   story        `json:"story"`
		Stories []storyGroup `json:"stories"`
		URL     string       `json:"url"`
	} `json:"data"`
}

type user struct {
	ID            string         `json:"_id"`
	Username      string         `json:"username"`
	Firstname     string         `json:"firstname"`
	Lastname      string         `json:"lastname"`
	Bio           string         `json:"bio"`
	Email         string         `json:"email"`
	Photo         string         `json:"photo"`
	Password      *string        `json:"password"`
	Followers     []string       `json:"followers"`
	Followings    []string       `json:"followings"`
	Notifications []notification `json:"notifications"`
	Posts         []post         `json:"posts"`
}

type notification struct {
	ID           string `json:"_id"`
	NotifiedBy   string `json:"notifiedBy"`
	NotifiedTo   string `json:"notifiedTo"`
	Notification string `json:"notification"`
}

type post struct {
	ID       string    `json:"_id"`
	IDCopy   string    `json:"id"`
	Caption  string    `json:"caption"`
	Photo    string    `json:"photo"`
	PostedBy string    `json:"postedBy"`
	Likes    []string  `json:"likes"`
	PostedAt string    `json:"postedAt"`
	Like     int       `json:"like"`
	Comment  int       `json:"comment"`
	Comments []comment `json:"comments"`
}

type comment struct {
	Comment       string `json:"comment"`
	CommentedBy   string `json:"commentedBy"`
	CommentedPost string `json:"commentedPost"`
}

type story struct {
	ID        string `json:"_id"`
	Photo     string `json:"photo"`
	StoriedBy string `json:"storiedBy"`
}

type storyGroup struct {
	ID      string `json:"_id"`
	Stories []struct {
		StoryID string `json:"storyId"`
		Photo   string `json:"photo"`
	} `json:"stories"`
}

// call sends a JSON request (body nil: none) with the bearer token (""
// sends no Authorization header) and requires the wanted HTTP status.
func (g *gramd) call(method, path, token string, body any, want int) *reply {
	g.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			g.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, g.base+path, rd)
	if err != nil {
		g.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return g.send(req, token, want)
}

// upload posts a multipart form with one JPEG file in field and the
// text fields, as the client's FormData does.
func (g *gramd) upload(path, token, field string, img []byte, fields map[string]string, want int) *reply {
	g.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			g.t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile(field, "photo.jpg")
	if err != nil {
		g.t.Fatal(err)
	}
	fw.Write(img)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, g.base+path, &buf)
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return g.send(req, token, want)
}

func (g *gramd) send(req *http.Request, token string, want int) *reply {
	g.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		g.t.Fatal(err)
	}
	r := &reply{Code: res.StatusCode, Raw: string(raw)}
	if res.StatusCode != want {
		g.t.Fatalf("%s %s: status %d, want %d; body %s", req.Method, req.URL.Path, res.StatusCode, want, raw)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		g.t.Fatalf("%s %s: Content-Type %q, want JSON; body %q", req.Method, req.URL.Path, ct, raw)
	}
	if err := json.Unmarshal(raw, r); err != nil {
		g.t.Fatalf("%s %s: body is not the JSON envelope: %v; %s", req.Method, req.URL.Path, err, raw)
	}
	wantStatus := "success"
	if want >= 400 {
		wantStatus = "fail"
	}
	if r.Status != wantStatus {
		g.t.Fatalf("%s %s: status %q, want %q; body %s", req.Method, req.URL.Path, r.Status, wantStatus, raw)
	}
	return r
}

// wantMessage requires the envelope's message.
func wantMessage(t *testing.T, r *reply, msg string) {
	t.Helper()
	if r.Message != msg {
		t.Fatalf("message %q, want %q; body %s", r.Message, msg, r.Raw)
	}
}

// fetchImage GETs a media URL and returns the decoded dimensions.
func fetchImage(t *testing.T, url string) image.Config {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", url, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "image/jpeg" {
		t.Fatalf("GET %s: Content-Type %q, want image/jpeg", url, ct)
	}
	cfg, format, err := image.DecodeConfig(res.Body)
	if err != nil || format != "jpeg" {
		t.Fatalf("GET %s: decode: format %q, %v", url, format, err)
	}
	return cfg
}

// wantGone requires a media URL to answer 404.
func wantGone(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET %s: status %d, want 404", url, res.StatusCode)
	}
}

// testJPEG is a w x h JPEG with a gradient, like a camera photo.
func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var resetLink = regexp.MustCompile(`https://instamern\.netlify\.app/reset-password/([0-9a-f]{64})\b`)

// resetToken polls DATA_DIR/outbox for the reset mail to addr (the mail
// sender flushes the outbox every few seconds) and returns its token.
func (g *gramd) resetToken(addr string) string {
	g.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(g.dir, "data", "outbox", "*.eml"))
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), ".") {
				continue // being written
			}
			to, text := readEML(g.t, f)
			if m := resetLink.FindStringSubmatch(text); m != nil && strings.Contains(to, addr) {
				return m[1]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.t.Fatalf("no reset mail to %s in the outbox within 15s:\n%s", addr, g.out.String())
	return ""
}

// readEML returns the To header and the decoded text of every part of
// an .eml file.
func readEML(t *testing.T, path string) (to, text string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var sb strings.Builder
	if err := decodePart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &sb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return msg.Header.Get("To"), sb.String()
}

func decodePart(ctype, cte string, body io.Reader, sb *strings.Builder) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := decodePart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, sb); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(cte, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	sb.Write(b)
	sb.WriteByte('\n')
	return err
}

// TestE2E walks the account and content journeys of the React client
// against the real binary on the embedded default, then stops it.
func TestE2E(t *testing.T) {
	g := startGramd(t, "")
	t.Run("Accounts", func(t *testing.T) { accountJourney(t, g) })
	if t.Failed() {
		return
	}
	t.Run("Content", func(t *testing.T) { contentJourney(t, g) })
	t.Run("SIGTERM", func(t *testing.T) { g.t = t; g.terminate() })
	if t.Failed() {
		return
	}
	t.Run("Restart", func(t *testing.T) { restartJourney(t, g.dir) })
}

// restartJourney starts a new process on the same ./data (and another
// port): accounts, sessions and posts survive, and media URLs follow the
// new PUBLIC_URL because the database stores keys, not URLs.
func restartJourney(t *testing.T, dir string) {
	g := startGramd(t, dir)
	bob := accounts.bob
	if me := currentUser(t, g, bob.token); me.ID != bob.id {
		t.Fatalf("bob's session after restart: current-user %+v", me)
	}
	login(t, g, bob.username, bob.password)
	p := feedFirst(t, g)
	if p.ID != accounts.bobPost || !strings.HasPrefix(p.Photo, g.base+"/media/") {
		t.Fatalf("feed after restart = %+v, want bob's post with a photo under %s/media/", p, g.base)
	}
	fetchImage(t, p.Photo)
	g.terminate()
}

// accounts carries the two users from the account journey to the content
// journey.
var accounts struct {
	alice, bob account
	bobPost    string // a post that outlives alice's account
}

type account struct{ id, username, email, password, token string }

func signup(t *testing.T, g *gramd, first, last, username string) account {
	t.Helper()
	a := account{username: username, email: username + "@example.com", password: "secret-" + username}
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
		res, err := http.DefaultClient.Do(req)
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
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusNoContent && (res.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"success"`))) {
		t.Fatalf("DELETE %s: status %d, want 204 or 200 success; body %s", path, res.StatusCode, raw)
	}
}

// TestE2E_ShutdownDrainsInFlight starts an upload, sends SIGTERM while
// its handler waits for the body, and requires the upload to complete and
// the process to exit 0.
func TestE2E_ShutdownDrainsInFlight(t *testing.T) {
	g := startGramd(t, "")
	tok := g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Carol", "lastname": "Danvers",
		"username": "carol", "email": "carol@example.com", "password": "secret-carol", "passwordConfirm": "secret-carol"}, 201).Token

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("post", "slow.jpg")
	fw.Write(testJPEG(t, 1200, 1500))
	mw.WriteField("caption", "slow")
	mw.Close()

	// "Expect: 100-continue" makes the request observable: the server
	// answers 100 only once the handler reads the body, so the request
	// is surely in flight (not waiting in the accept queue, not on an
	// idle keep-alive connection) when the signal arrives.
	pr, pw := io.Pipe()
	started := make(chan struct{})
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{Got100Continue: func() { close(started) }})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/instamern/posts/upload", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	type result struct {
		code int
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		res, err := client.Do(req)
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		resc <- result{code: res.StatusCode, body: string(b)}
	}()
	select {
	case <-started:
	case res := <-resc:
		t.Fatalf("upload answered before its body was sent: %d %v %s", res.code, res.err, res.body)
	case <-time.After(10 * time.Second):
		t.Fatal("no 100 Continue within 10s")
	}
	if err := g.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	g.waitLog(`"shutting down"`, 5*time.Second)
	if _, err := pw.Write(body.Bytes()); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	select {
	case res := <-resc:
		if res.err != nil || res.code != http.StatusCreated {
			t.Fatalf("in-flight upload during shutdown: %d %v %s", res.code, res.err, res.body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight upload did not finish within 10s of SIGTERM")
	}
	g.waitExit(10 * time.Second)
	if g.err != nil {
		t.Fatalf("gramd exited with %v, want status 0:\n%s", g.err, g.out.String())
	}
}

// TestProductionRefusesDefaultSecret: production without JWT_SECRET must
// not start, both through run() and as a process (non-zero exit status
// and a message that names the fix).
func TestProductionRefusesDefaultSecret(t *testing.T) {
	env := map[string]string{"APP_ENV": "production", "PORT": "0", "DATA_DIR": t.TempDir()}
	var out bytes.Buffer
	err := run(context.Background(), []string{"gramd"}, func(k string) string { return env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET") {
		t.Fatalf("run() = %v, want an error naming JWT_SECRET", err)
	}

	cmd := exec.Command(gramdBinary(t))
	cmd.Dir = t.TempDir()
	cmd.Env = minimalEnv("APP_ENV=production", "PORT="+freePort(t))
	b, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("gramd in production without JWT_SECRET: %v, want a non-zero exit; output:\n%s", err, b)
	}
	if !strings.Contains(string(b), "JWT_SECRET") {
		t.Fatalf("output does not name JWT_SECRET:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(cmd.Dir, "data")); err == nil {
		t.Errorf("gramd created %s/data before refusing to start", cmd.Dir)
	}
}
