package main

import (
	"encoding/json"
	"fmt"
	"github.com/instamern/gram/internal/testenv"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The outbox against a real SMTP server (Mailpit, from scripts/services.sh):
// the binary talks to Mailpit through a TCP proxy the test switches off
// and on, to play a mail server outage.

// smtpProxy forwards connections to Mailpit's SMTP port while up; while
// down it hangs up on every connection at once, as a dead server would.
type smtpProxy struct {
	ln     net.Listener
	target string
	up     atomic.Bool
	wg     sync.WaitGroup
}

// mailpitSMTP is the address of Mailpit's SMTP port.
func mailpitSMTP() string {
	if u, err := url.Parse(os.Getenv("MAIL_URL")); err == nil && u.Scheme == "smtp" && u.Host != "" {
		return u.Host
	}
	return "127.0.0.1:1025"
}

func newSMTPProxy(t *testing.T) *smtpProxy {
	t.Helper()
	target := mailpitSMTP()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &smtpProxy{ln: ln, target: target}
	p.wg.Go(p.serve)
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *smtpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.up.Load() {
			c.Close()
			continue
		}
		p.wg.Go(func() { p.forward(c) })
	}
}

func (p *smtpProxy) forward(c net.Conn) {
	defer c.Close()
	s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		return
	}
	defer s.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(s, c); done <- struct{}{} }()
	go func() { io.Copy(c, s); done <- struct{}{} }()
	<-done
}

// mailURL is MAIL_URL for the binary: SMTP through the proxy.
func (p *smtpProxy) mailEnv() []string {
	return []string{"MAIL_URL=smtp://" + p.ln.Addr().String() + "?tls=none", "MAIL_FROM=InstaMERN <no-reply@instamern.app>",
		"MAIL_RETRY_MIN=1s"}
}

func needMailpit(t *testing.T) string {
	t.Helper()
	testenv.Need(t, "GRAM_TEST_SMTP", "MAILPIT_URL")
	return strings.TrimRight(os.Getenv("MAILPIT_URL"), "/")
}

// mailpitResets waits up to d for a reset mail to addr in Mailpit and
// returns the tokens of all reset mails to addr.
func mailpitResets(t *testing.T, base, addr string, d time.Duration) []string {
	t.Helper()
	q := base + "/api/v1/search?query=" + url.QueryEscape(`to:"`+addr+`" subject:"Reset your password"`)
	deadline := time.Now().Add(d)
	for {
		var res struct {
			Messages []struct{ ID, Subject string }
		}
		mailpitGet(t, q, &res)
		var tokens []string
		for _, m := range res.Messages {
			var msg struct{ Text string }
			mailpitGet(t, base+"/api/v1/message/"+m.ID, &msg)
			if m := resetLink.FindStringSubmatch(msg.Text); m != nil {
				tokens = append(tokens, m[1])
			}
		}
		if len(tokens) > 0 {
			return tokens
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reset mail to %s in Mailpit within %v", addr, d)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func mailpitGet(t *testing.T, u string, v any) {
	t.Helper()
	res := getOK(t, u)
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// forgotFast signs up a user at a unique address and asks for a reset
// link, which must answer 200 at once although mail is down. It returns
// the address.
func forgotFast(t *testing.T, g *gramd, username string) string {
	t.Helper()
	addr := signupAt(t, g, username)
	askReset(t, g, addr)
	return addr
}

// signupAt signs up username at a unique address and returns the address.
func signupAt(t *testing.T, g *gramd, username string) string {
	t.Helper()
	addr := fmt.Sprintf("%s-%d@example.com", username, time.Now().UnixNano())
	g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Mail", "lastname": "Tester",
		"username": username, "email": addr, "password": "correct horse 42", "passwordConfirm": "correct horse 42"}, 201)
	return addr
}

// askReset asks for a reset link to addr, which must answer 200 at once
// although mail is down.
func askReset(t *testing.T, g *gramd, addr string) {
	t.Helper()
	start := time.Now()
	g.call("POST", "/instamern/users/forgot-password", "", map[string]string{"email": addr}, 200)
	d := time.Since(start)
	if d > 2*time.Second {
		t.Errorf("forgot-password took %v while mail was down; want an answer at once", d)
	}
	t.Logf("forgot-password answered in %v with the mail server down", d)
}

// useReset resets the password with token and logs in with it.
func useReset(t *testing.T, g *gramd, username, token string) {
	t.Helper()
	const pw = "battery staple 42"
	g.call("PATCH", "/instamern/users/reset-password/"+token, "", map[string]string{"password": pw, "passwordConfirm": pw}, 200)
	login(t, g, username, pw)
}

// TestE2E_MailSurvivesRestart: the reset mail is queued while the mail
// server is down, the process stops before it could deliver it, and the
// next process (mail back up) delivers it; the link works.
func TestE2E_MailSurvivesRestart(t *testing.T) {
	base := needMailpit(t)
	proxy := newSMTPProxy(t)
	dir := t.TempDir()
	g := startGramd(t, dir, proxy.mailEnv()...)
	addr := forgotFast(t, g, "restarter")
	g.waitLog("send failed; will retry", 15*time.Second)
	g.terminate()

	proxy.up.Store(true)
	g = startGramd(t, dir, proxy.mailEnv()...)
	tokens := mailpitResets(t, base, addr, 30*time.Second)
	if len(tokens) != 1 {
		t.Fatalf("%d reset mails to %s; want exactly one", len(tokens), addr)
	}
	useReset(t, g, "restarter", tokens[0])
	g.terminate()
}

// TestE2E_MailOutage: with the mail server down the request succeeds at
// once, and the message arrives once the server is back.
func TestE2E_MailOutage(t *testing.T) {
	base := needMailpit(t)
	proxy := newSMTPProxy(t)
	g := startGramd(t, "", proxy.mailEnv()...)
	addr := forgotFast(t, g, "outage")
	g.waitLog("send failed; will retry", 15*time.Second)
	proxy.up.Store(true)
	tokens := mailpitResets(t, base, addr, 30*time.Second)
	if len(tokens) != 1 {
		t.Fatalf("%d reset mails to %s; want exactly one", len(tokens), addr)
	}
	useReset(t, g, "outage", tokens[0])
	g.terminate()
}

// TestE2E_ChangeEmailConfirm: change-email mails a link to the new address
// that points at this server (PUBLIC_URL); the page it opens posts back,
// and only then does the address change and the old one get told.
func TestE2E_ChangeEmailConfirm(t *testing.T) {
	g := startGramd(t, "")
	tok := g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Erin", "lastname": "Mover",
		"username": "erin", "email": "erin@example.com", "password": "correct horse 42", "passwordConfirm": "correct horse 42"}, 201).Token
	g.call("PATCH", "/instamern/users/change-email", tok, map[string]string{"currentPassword": "correct horse 42",
		"email": "erin.new@example.com"}, 200)
	link := g.outboxMatch("erin.new@example.com", regexp.MustCompile(regexp.QuoteMeta(g.base)+`/instamern/users/confirm-email/[0-9a-f]{64}\b`))[0]
	g.outboxMatch("erin@example.com", regexp.MustCompile(`is being changed`))
	if me := currentUser(t, g, tok); me.Email != "erin@example.com" {
		t.Fatalf("email %q before confirmation", me.Email)
	}
	res, err := g.client.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), `<form method="post">`) {
		t.Fatalf("GET %s: %d %s", link, res.StatusCode, page)
	}
	// What the browser sends when the button is pressed.
	req, _ := http.NewRequest("POST", link, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "null")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = g.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "erin.new@example.com") {
		t.Fatalf("POST %s: %d %s", link, res.StatusCode, page)
	}
	if me := currentUser(t, g, tok); me.Email != "erin.new@example.com" {
		t.Fatalf("email %q after confirmation; want erin.new@example.com", me.Email)
	}
	g.outboxMatch("erin@example.com", regexp.MustCompile(`has been changed from`))
	g.terminate()
}
