package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/instamern/gram/internal/openapi/openapitest"
)

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
	base string // http://localhost:<port> (https:// with TLS)
	// client speaks to the server: over the default transport, or one that
	// trusts the test certificate, checking every response against the
	// OpenAPI description.
	client *http.Client
	out    *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, valid after done
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

// minimalEnv is the environment of a zero-configuration start plus extra,
// without the drain delay, which only a balancer needs (extra may set it).
func minimalEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "DRAIN_DELAY=0"}, extra...)
}

// startGramd starts the binary in dir (a fresh temp dir when "") with
// only PORT (a free one, unless extra sets it) and extra set (where $PORT
// stands for that port) and waits until /healthz answers. The process
// is killed at the end of the test if it is still running.
func startGramd(t *testing.T, dir string, extra ...string) *gramd {
	t.Helper()
	return launchGramd(t, dir, nil, extra...)
}

// launchGramd is startGramd; with a non-nil tlsClient the server is
// spoken to over HTTPS through that client.
func launchGramd(t *testing.T, dir string, tlsClient *http.Client, extra ...string) *gramd {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	port := ""
	for _, kv := range extra {
		if v, ok := strings.CutPrefix(kv, "PORT="); ok {
			port = v // a replica restarted on its port
		}
	}
	if port != "" {
		g := spawnGramd(t, dir, port, tlsClient, extra...)
		g.waitHealthy()
		return g
	}
	// A free port can be taken by another test between freePort and the
	// server's bind: start again on another one.
	for attempt := 1; ; attempt++ {
		g := spawnGramd(t, dir, freePort(t), tlsClient, extra...)
		if attempt < 4 && g.lostPort() {
			continue
		}
		g.waitHealthy()
		return g
	}
}

// lostPort waits until the server is healthy or has exited, and reports
// whether it exited because its port was taken.
func (g *gramd) lostPort() bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-g.done:
			return strings.Contains(g.out.String(), "address already in use")
		default:
		}
		if res, err := g.client.Get(g.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return false
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// spawnGramd starts the binary on port without waiting for it.
func spawnGramd(t *testing.T, dir, port string, tlsClient *http.Client, extra ...string) *gramd {
	t.Helper()
	g := &gramd{t: t, dir: dir, base: "http://localhost:" + port, client: http.DefaultClient, out: &syncBuffer{}, done: make(chan struct{})}
	if tlsClient != nil {
		g.base, g.client = "https://localhost:"+port, tlsClient
	}
	// Every response the client gets is checked against the OpenAPI
	// description; a mismatch fails the request.
	g.client = &http.Client{Transport: openapitest.ForAPI(t).Transport(g.client.Transport), Timeout: g.client.Timeout}
	g.cmd = exec.Command(gramdBinary(t))
	g.cmd.Dir = g.dir
	env := []string{"PORT=" + port}
	for _, e := range extra {
		env = append(env, strings.ReplaceAll(e, "$PORT", port)) // e.g. LISTEN_ADDR=127.0.0.1:$PORT
	}
	g.cmd.Env = minimalEnv(env...)
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
		res, err := g.client.Get(g.base + "/healthz")
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

// resetToken polls DATA_DIR/outbox for the reset mail to addr (the mail
// sender flushes the outbox every few seconds) and returns its token.
func (g *gramd) resetToken(addr string) string {
	g.t.Helper()
	return g.outboxMatch(addr, resetLink)[1]
}

// outboxMatch polls DATA_DIR/outbox for a mail to addr whose text matches
// re and returns the submatches.
func (g *gramd) outboxMatch(addr string, re *regexp.Regexp) []string {
	g.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(g.dir, "data", "outbox", "*.eml"))
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), ".") {
				continue // being written
			}
			to, text := readEML(g.t, f)
			if m := re.FindStringSubmatch(text); m != nil && strings.Contains(to, addr) {
				return m
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.t.Fatalf("no mail to %s matching %s in the outbox within 15s:\n%s", addr, re, g.out.String())
	return nil
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
