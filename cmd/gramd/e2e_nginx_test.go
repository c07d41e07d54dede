package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"
)

// nginx is a load balancer the test starts in front of gramd replicas:
// Debian's nginx binary with a generated configuration, everything it
// writes (pid, temp files, logs) in a temp dir, listening on loopback.
type nginx struct {
	t         *testing.T
	dir       string
	base      string // http://127.0.0.1:<port>
	listen    string
	upstreams []string
	mu        sync.Mutex
	down      map[string]bool // upstreams taken out (see setDown)
	downs     map[string]int  // how many times each was taken out
	gen       int             // configuration generation, served at /nginx-generation
	cmd       *exec.Cmd
	out       *syncBuffer
	done      chan struct{}
}

// nginxConf balances round robin (no stickiness: any replica serves any
// session) over the replicas, with keep-alive connections to them.
//
// Retries (proxy_next_upstream): a request whose connection to a replica
// failed (refused, reset before anything was sent) never reached gramd,
// so it goes to the next replica whatever its method. A request that was
// sent and then lost its replica goes to the next one only when it is
// idempotent: nginx never retries POST, PATCH or LOCK once sent, since
// the first replica may have committed it (a like toggle, a comment, an
// upload would then be applied twice). It does retry GET and HEAD (safe
// to run twice) and also PUT and DELETE, which gramd's API makes
// idempotent in effect (a second delete finds the post gone). "timeout"
// covers a connect timeout and a replica that stopped answering; the read
// timeout is above gramd's own upload deadline, so a slow upload gets
// gramd's 503, not a retry. max_fails/fail_timeout take a dead replica
// out for two seconds at a time, so a restarted one is back soon.
//
// Keep-alive: nginx closes a connection to a replica after a second
// idle, below the replicas' DRAIN_DELAY, and one whose answer says
// "Connection: close" (a draining replica's do); so a draining replica
// never has to close an idle connection nginx may be sending on.
//
// X-Forwarded-For: nginx appends the address of its own client
// ($proxy_add_x_forwarded_for); gramd trusts nginx's address only
// (TRUSTED_PROXIES) and takes the right-most address that is not a
// trusted proxy, which is the one nginx wrote. What the client wrote to
// the left of it is ignored.
//
// Started as root, nginx's workers run as root too: their temp files go
// to the test's temp dir, which only its owner may enter.
//
// The access log names the replica (and each retried one) of every
// request by the client's X-Request-Id, so the test can tell where a
// failed request was.
var nginxConf = template.Must(template.New("nginx.conf").Parse(`
{{if .Root}}user root;{{end}}
worker_processes 1;
pid {{.Dir}}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
	client_body_temp_path {{.Dir}}/body;
	proxy_temp_path {{.Dir}}/proxy;
	fastcgi_temp_path {{.Dir}}/fastcgi;
	uwsgi_temp_path {{.Dir}}/uwsgi;
	scgi_temp_path {{.Dir}}/scgi;
	log_format replicas '$http_x_request_id $status "$upstream_addr" "$upstream_status" $request_method $uri';
	access_log {{.Dir}}/access.log replicas;
	client_max_body_size 25m;
	client_body_buffer_size 2m;

	upstream gramd {
{{- range .Upstreams}}
		server {{.Addr}} max_fails=1 fail_timeout=2s{{if .Down}} down{{end}};
{{- end}}
		keepalive 32;
		keepalive_timeout 1s;
	}
	server {
		listen {{.Listen}};
		location = /nginx-generation { return 200 "{{.Gen}}"; }
		location / {
			proxy_pass http://gramd;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_next_upstream error timeout;
			proxy_next_upstream_tries 3;
			proxy_connect_timeout 2s;
			proxy_read_timeout 75s;
		}
	}
}
`))

// nginxPath is the nginx binary: on PATH, or where Debian installs it.
func nginxPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	msg := "nginx is not installed (apt-get install nginx; .ci/run does)"
	if os.Getenv("GRAM_TEST_REQUIRE") == "1" {
		t.Fatal(msg + " (GRAM_TEST_REQUIRE=1: a missing service is a failure)")
	}
	t.Skip(msg)
	return ""
}

// startNginx starts nginx on listen (host:port; "" for a free port) in
// front of upstreams (host:port) and waits until it accepts connections.
// It is stopped at the end of the test.
func startNginx(t *testing.T, listen string, upstreams []string) *nginx {
	t.Helper()
	bin := nginxPath(t)
	n := &nginx{t: t, dir: t.TempDir(), out: &syncBuffer{}, done: make(chan struct{}), upstreams: upstreams, down: map[string]bool{}, downs: map[string]int{}}
	if listen == "" {
		listen = "127.0.0.1:" + freePort(t)
	}
	n.listen, n.base = listen, "http://"+listen
	n.writeConf()
	n.cmd = exec.Command(bin, "-p", n.dir, "-c", filepath.Join(n.dir, "nginx.conf"), "-e", "stderr", "-g", "daemon off;")
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	// Its own process group, so that the cleanup stops the workers too
	// (they hold the output pipe).
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	n.cmd.WaitDelay = 5 * time.Second
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = n.cmd.Wait(); close(n.done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
		<-n.done
		if t.Failed() {
			t.Logf("nginx output:\n%s", n.out.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", listen)
		if err == nil {
			c.Close()
			return n
		}
		select {
		case <-n.done:
			t.Fatalf("nginx exited at start:\n%s", n.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not listen on %s within 10s:\n%s", listen, n.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeConf writes nginx.conf for the current generation.
func (n *nginx) writeConf() {
	type upstream struct {
		Addr string
		Down bool
	}
	var ups []upstream
	for _, u := range n.upstreams {
		ups = append(ups, upstream{u, n.down[u]})
	}
	f, err := os.Create(filepath.Join(n.dir, "nginx.conf"))
	if err != nil {
		n.t.Fatal(err)
	}
	err = nginxConf.Execute(f, map[string]any{"Root": os.Geteuid() == 0, "Dir": n.dir, "Listen": n.listen, "Upstreams": ups, "Gen": n.gen})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		n.t.Fatal(err)
	}
}

// setDown takes an upstream out of the rotation (down) or puts it back,
// as an operator's health checker does with nginx: it rewrites the
// configuration and reloads nginx (SIGHUP), whose new workers take over
// while the old ones finish the requests they have. It returns once
// nginx serves the new configuration. It reports whether anything
// changed.
func (n *nginx) setDown(addr string, down bool) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.down[addr] == down {
		return false, nil
	}
	n.down[addr] = down
	if down {
		n.downs[addr]++
	}
	n.gen++
	n.writeConf()
	if err := n.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		return false, err
	}
	want := fmt.Sprint(n.gen)
	probe := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		res, err := probe.Get(n.base + "/nginx-generation")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) == want {
			return true, nil
		}
	}
	return false, fmt.Errorf("nginx did not load configuration %s within 5s", want)
}

// downCount is how many times addr was taken out of the rotation.
func (n *nginx) downCount(addr string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.downs[addr]
}

// nginxEntry is one line of the access log.
type nginxEntry struct {
	status    int
	upstreams []string // every replica tried, in order ("host:port")
	statuses  string   // their answers, e.g. "502, 200"
	line      string
}

// accessLog returns the access log's entries by request id.
func (n *nginx) accessLog() map[string]nginxEntry {
	n.t.Helper()
	f, err := os.Open(filepath.Join(n.dir, "access.log"))
	if err != nil {
		n.t.Fatal(err)
	}
	defer f.Close()
	out := map[string]nginxEntry{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.SplitN(line, `"`, 5)
		var id string
		var e nginxEntry
		if len(fields) < 4 {
			continue
		}
		if _, err := fmt.Sscan(fields[0], &id, &e.status); err != nil {
			continue
		}
		for u := range strings.SplitSeq(fields[1], ",") {
			e.upstreams = append(e.upstreams, strings.TrimSpace(u))
		}
		e.statuses, e.line = fields[3], line
		out[id] = e
	}
	return out
}

// lbClient speaks to nginx from 127.0.0.2, an address that is not a
// trusted proxy, so that gramd's idea of the client address can be told
// apart from nginx's own (127.0.0.1). Without keep-alive, each request
// has its own connection: a reload of nginx closes the idle connections
// of its old workers, and a POST sent on one at that moment would fail
// between the client and nginx, which is nginx's matter, not gramd's.
func lbClient(keepAlive bool) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 90 * time.Second, Transport: &http.Transport{DialContext: d.DialContext,
		MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second, DisableKeepAlives: !keepAlive}}
}
