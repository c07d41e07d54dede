package ratelimittest

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/instamern/gram/internal/testenv"
)

// RedisServer is a redis-server of a test's own, on a free loopback
// port, that the test may freeze, thaw or kill: the shared Redis of
// GRAM_TEST_REDIS is never stopped.
type RedisServer struct {
	URL string
	cmd *exec.Cmd
}

// StartRedis starts a redis-server (no persistence) and returns once it
// accepts connections; it is killed when t ends. Where GRAM_TEST_REDIS
// is set, redis-server is on the machine; elsewhere the test is skipped
// (testenv.Need).
func StartRedis(t testing.TB) *RedisServer {
	t.Helper()
	testenv.Need(t, "GRAM_TEST_REDIS")
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	s := &RedisServer{URL: "redis://127.0.0.1:" + strconv.Itoa(port) + "/0", cmd: cmd}
	t.Cleanup(func() { s.Kill(); _ = cmd.Wait() })
	ready := bufio.NewScanner(out)
	for ready.Scan() {
		if strings.Contains(ready.Text(), "Ready to accept connections") {
			go func() { // keep draining, so that the server never blocks on its log
				for ready.Scan() {
				}
			}()
			return s
		}
	}
	t.Fatalf("redis-server on port %d exited before it was ready", port)
	return nil
}

// Freeze stops the server (SIGSTOP): connections are accepted by the
// kernel, but nothing answers, as with a Redis stuck or cut off.
func (s *RedisServer) Freeze() { s.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server (SIGCONT).
func (s *RedisServer) Thaw() { s.signal(syscall.SIGCONT) }

// Kill ends the server (SIGKILL): connections are refused.
func (s *RedisServer) Kill() { s.signal(syscall.SIGKILL) }

func (s *RedisServer) signal(sig os.Signal) { _ = s.cmd.Process.Signal(sig) }

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
