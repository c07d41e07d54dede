package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/pgtest"
	"github.com/instamern/gram/internal/testenv"
)

// The scale-out tests run three gramd replicas behind nginx (round
// robin, no stickiness) on one PostgreSQL schema, one Redis, one S3
// bucket prefix and one mail server (Mailpit), as a deployment that has
// outgrown one machine does, and drive them through nginx only.

// cluster is three replicas behind nginx and the services they share.
type cluster struct {
	t        *testing.T // the test now running
	root     *testing.T // the test the replicas live as long as
	env      []string   // every replica's settings but PORT and INSTANCE_NAME
	ports    [3]string  // each replica keeps its port across restarts
	dirs     [3]string  // and its data dir (nothing in it is shared)
	reps     [3]*gramd
	lb       *nginx
	front    *gramd // the cluster as the client sees it: nginx
	seen     *instanceLog
	db       *sql.DB // the shared schema, for the checks
	mailpit  string
	domain   string    // every address of this run is @domain
	mediaURL string    // s3://bucket/prefix of this run
	killedAt time.Time // when a replica was killed (SIGKILL), if one was
}

// replicaName is the INSTANCE_NAME of replica i.
func replicaName(i int) string { return "gramd-" + string(rune('1'+i)) }

// newCluster starts the shared services' clients, three replicas (the
// first alone, so that it migrates the fresh schema) and nginx.
func newCluster(t *testing.T, extra ...string) *cluster {
	t.Helper()
	testenv.Need(t, "GRAM_TEST_S3", "GRAM_TEST_SMTP", "GRAM_TEST_REDIS")
	nginxPath(t)
	c := &cluster{t: t, root: t, mailpit: needMailpit(t), domain: "scale-" + randHex(6) + ".example.com", seen: &instanceLog{}}
	dbURL := pgtest.SchemaURL(t)
	var err error
	if c.db, err = sql.Open("pgx", dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.db.Close() })
	env := servicesEnv(t)
	c.mediaURL = strings.TrimSuffix(envValue(t, env, "MEDIA_URL"), "/") + "/scale-" + randHex(6)
	lbAddr := "127.0.0.1:" + freePort(t)
	c.env = append(env,
		"DATABASE_URL="+dbURL, "DB_MAX_CONNS=8", "REDIS_URL="+os.Getenv("GRAM_TEST_REDIS"), "MEDIA_URL="+c.mediaURL,
		"MAIL_FROM=InstaMERN <no-reply@instamern.app>", "MAIL_RETRY_MIN=1s", "MAIL_LEASE=2s",
		// Every replica signs with the same secret: a token from one is
		// good on the others.
		"JWT_SECRET=scale-out-test-secret-shared-by-every-replica",
		"PUBLIC_URL=http://"+lbAddr, "TRUSTED_PROXIES=127.0.0.1",
		// Stopped, a replica serves on for two seconds with its answers
		// closing their connections, while nginx closes the idle ones
		// (keepalive_timeout 1s): none is left for the replica to close
		// under a request nginx is sending.
		"DRAIN_DELAY=2s", "SHUTDOWN_TIMEOUT=15s")
	c.env = append(c.env, extra...)
	for i := range c.dirs {
		c.dirs[i] = t.TempDir()
	}
	c.start(0)
	var wg sync.WaitGroup
	for i := 1; i < 3; i++ {
		wg.Go(func() { c.start(i) })
	}
	wg.Wait()
	c.lb = startNginx(t, lbAddr, []string{c.addr(0), c.addr(1), c.addr(2)})
	c.watchReadiness(t, c.lb)
	c.front = &gramd{t: t, base: c.lb.base, client: lbClient(true), out: &syncBuffer{}, done: make(chan struct{})}
	c.front.client.Transport = &instanceRecorder{base: c.front.client.Transport, log: c.seen}
	return c
}

// start starts replica i on its data dir and its port: a free one the
// first time (taken just before the start, since other tests take ports
// too), the same one after. It requires that the replica, not another
// test's server, answers there.
func (c *cluster) start(i int) {
	if c.ports[i] == "" {
		c.ports[i] = freePort(c.t)
	}
	// A copy: replicas start at once, and appending to c.env itself
	// would let them write into one array.
	env := append(slices.Clone(c.env), "PORT="+c.ports[i], "INSTANCE_NAME="+replicaName(i))
	g := startGramd(c.root, c.dirs[i], env...)
	g.t = c.t
	res, err := http.Get("http://" + c.addr(i) + "/healthz")
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("X-Gram-Instance"); got != replicaName(i) {
		c.t.Fatalf("%s answers as %q: another server took port %s", c.addr(i), got, c.ports[i])
	}
	c.reps[i] = g
}

// watchReadiness polls every replica's /readyz every 100 ms, as the
// health checker an operator runs beside nginx does (nginx itself does
// not poll): a replica that fails three times in a row (draining, or
// dead; not a slow answer on a busy machine) is taken out of lb's
// rotation, and put back once it answers ready.
func (c *cluster) watchReadiness(t *testing.T, lb *nginx) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	addrs := []string{c.addr(0), c.addr(1), c.addr(2)}
	wg.Go(func() {
		var fails [3]int
		for ctx.Err() == nil {
			for i, a := range addrs {
				ready := false
				if res, err := probe.Get("http://" + a + "/readyz"); err == nil {
					ready = res.StatusCode == http.StatusOK && res.Header.Get("X-Gram-Instance") == replicaName(i)
					res.Body.Close()
				}
				if fails[i]++; ready {
					fails[i] = 0
				}
				if ready || fails[i] == 3 {
					if _, err := lb.setDown(a, !ready); err != nil {
						fmt.Fprintln(os.Stderr, "readiness watcher:", err) // the test sees the requests fail
					}
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// addr is the address nginx knows replica i by.
func (c *cluster) addr(i int) string { return "127.0.0.1:" + c.ports[i] }

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// instanceLog records which replica answered each request, in order.
type instanceLog struct {
	mu    sync.Mutex
	names []string
}

func (l *instanceLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
}

// since returns the names recorded after the first n.
func (l *instanceLog) since(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.names[n:]...)
}

func (l *instanceLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.names)
}

// instanceRecorder notes the X-Gram-Instance of every response ("" when
// a response has none: nginx's own).
type instanceRecorder struct {
	base http.RoundTripper
	log  *instanceLog
}

func (r *instanceRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.base.RoundTrip(req)
	if err == nil {
		r.log.add(res.Header.Get("X-Gram-Instance"))
	}
	return res, err
}
