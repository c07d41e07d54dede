package main

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/instamern/gram/internal/testenv"
)

// TestE2E_DrainUnderLoad: two processes share a data dir; the first
// serves a steady load, has an upload in flight and a reset mail whose
// send hangs, and gets SIGTERM. A balancer polling /readyz sees 503
// (draining) while the process still serves, and stops sending after
// its notice lag; no request fails, the upload completes after the
// listener closed, the process exits 0, and the second process delivers
// the reset mail at once (well within the 30-second lease the first
// held): the first released its claim when it stopped.
func TestE2E_DrainUnderLoad(t *testing.T) {
	r := &leaseRig{base: needMailpit(t), dir: t.TempDir(), proxy: testenv.NewProxy(t, mailpitSMTP())}
	shared := []string{"MAIL_LEASE=30s", "RATE_LIMIT_READ=100000/1m", "RATE_LIMIT_WRITE=100000/1m"}
	a := r.start(t, append(shared, "DRAIN_DELAY=2s", "SHUTDOWN_TIMEOUT=15s")...)
	r.addr = signupAt(t, a, "drained")
	other := signupAt(t, a, "followed")
	waitMailpitCount(t, r.base, r.addr, 1, 15*time.Second)
	waitMailpitCount(t, r.base, other, 1, 15*time.Second)
	tok := login(t, a, "drained", "correct horse 42")
	r.proxy.Freeze()
	askReset(t, a, r.addr)
	if !r.proxy.WaitFrozen(1, 15*time.Second) {
		t.Fatal("the reset mail's send never started")
	}
	b := r.start(t, shared...)

	upload := startInFlight(t, a, tok)
	lb := &drainBalancer{g: a, lag: 300 * time.Millisecond}
	load := startLoad(a, tok, lb, 4)
	time.Sleep(time.Second) // steady load
	if lb.status() != http.StatusOK {
		t.Fatalf("/readyz before SIGTERM = %d, want 200", lb.status())
	}
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	a.waitLog(`"shutting down"`, 10*time.Second)
	upload.finish(t, 10*time.Second)
	a.waitExit(15 * time.Second)
	if a.err != nil {
		t.Fatalf("gramd exited with %v after SIGTERM, want status 0", a.err)
	}
	stopped := time.Now()
	load.wait()

	t.Logf("load: %d requests, %d answered after /readyz turned 503, %d failed", load.total.Load(), load.afterDrain.Load(), load.failed.Load())
	if load.failed.Load() != 0 {
		t.Errorf("%d requests failed during the drain; first: %v", load.failed.Load(), load.firstErr())
	}
	if load.afterDrain.Load() == 0 {
		t.Error("no request was answered after /readyz turned 503: the process did not keep serving while draining")
	}
	if !lb.sawDraining.Load() {
		t.Error("/readyz never answered 503 with the draining detail")
	}
	out := a.out.String()
	if d, s := strings.Index(out, `"msg":"draining"`), strings.Index(out, `"msg":"shutting down"`); d < 0 || s < d {
		t.Errorf("the log does not show draining before shutting down:\n%s", out)
	}
	if !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("no \"stopped\" in the log:\n%s", out)
	}

	r.proxy.ThawNew() // b's sends go through; a's frozen connection is gone with a
	mailpitResets(t, r.base, r.addr, 15*time.Second)
	took := time.Since(stopped)
	t.Logf("the reset mail was delivered by the other process %v after the first exited", took)
	if took > 20*time.Second {
		t.Errorf("delivery took %v: the claim was not released, it ran out", took)
	}
	time.Sleep(2 * time.Second) // a second delivery would come within a poll
	if n := len(mailpitResets(t, r.base, r.addr, time.Second)); n != 1 {
		t.Fatalf("%d reset mails to %s; want exactly one", n, r.addr)
	}
	b.terminate()
}

// drainBalancer stands for a load balancer in front of g: it checks
// /readyz every 100 ms and stops routing to g lag after it saw 503.
type drainBalancer struct {
	g           *gramd
	lag         time.Duration
	last        atomic.Int32
	sawDraining atomic.Bool
	out         atomic.Bool // g is out of the rotation
}

func (lb *drainBalancer) status() int { return int(lb.last.Load()) }

// routing reports whether lb still routes to g: g runs and was not
// taken out of the rotation.
func (lb *drainBalancer) routing() bool {
	select {
	case <-lb.g.done:
		return false
	default:
		return !lb.out.Load()
	}
}

// watch polls until g is out of the rotation.
func (lb *drainBalancer) watch() {
	for lb.routing() {
		res, err := http.Get(lb.g.base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			lb.last.Store(int32(res.StatusCode))
			if res.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(b), "draining") {
				lb.sawDraining.Store(true)
				time.Sleep(lb.lag)
				lb.out.Store(true)
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// drainLoad is a steady stream of reads and writes from several clients.
type drainLoad struct {
	wg                        sync.WaitGroup
	total, failed, afterDrain atomic.Int64
	mu                        sync.Mutex
	errs                      []string
}

// startLoad runs workers that each send a request every 10 ms while lb
// routes to g: the current user, a follow and an unfollow, in turn.
func startLoad(g *gramd, tok string, lb *drainBalancer, workers int) *drainLoad {
	l := &drainLoad{}
	l.wg.Go(lb.watch)
	reqs := []struct{ method, path string }{
		{"GET", "/instamern/users/authorization/current-user"},
		{"POST", "/instamern/users/follow/followed"},
		{"POST", "/instamern/users/unfollow/followed"},
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range workers {
		l.wg.Go(func() {
			for i := w; lb.routing(); i++ {
				rq := reqs[i%len(reqs)]
				draining := lb.sawDraining.Load()
				l.one(client, g, tok, rq.method, rq.path, draining)
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	return l
}

// one sends a request; an answer below 500 is a success (following
// twice is a 4xx, which the load does not mind), a 5xx or no answer a
// failure.
func (l *drainLoad) one(client *http.Client, g *gramd, tok, method, path string, draining bool) {
	l.total.Add(1)
	req, _ := http.NewRequest(method, g.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := client.Do(req)
	if err == nil {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			err = &statusError{method + " " + path, res.StatusCode}
		}
	}
	if err != nil {
		l.failed.Add(1)
		l.mu.Lock()
		l.errs = append(l.errs, err.Error())
		l.mu.Unlock()
		return
	}
	if draining {
		l.afterDrain.Add(1)
	}
}

func (l *drainLoad) wait() { l.wg.Wait() }

func (l *drainLoad) firstErr() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) == 0 {
		return ""
	}
	return l.errs[0]
}

type statusError struct {
	req    string
	status int
}

func (e *statusError) Error() string { return e.req + ": status " + http.StatusText(e.status) }
