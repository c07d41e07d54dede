package testenv

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy is a TCP proxy in front of a real server that a test can break:
// a frozen connection forwards no byte in either direction (a hung
// server, or a network that silently drops everything) until it is
// thawed; a proxy that is down closes every connection (a server that is
// gone) until it is up. The proxy and its connections close at the end of
// the test.
type Proxy struct {
	ln     net.Listener
	target string

	mu        sync.Mutex
	changed   *sync.Cond // broadcast on every freeze, thaw, open and close
	freezeNew bool
	down      bool
	conns     map[*proxyConn]bool // open connections, true while frozen
	served    chan struct{}       // closed when serve has returned
	wg        sync.WaitGroup      // forwarding goroutines
}

type proxyConn struct{ client, server net.Conn }

// NewProxy listens on a free local port and forwards each connection to
// target, dialled when the connection is accepted.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[*proxyConn]bool{}, served: make(chan struct{})}
	p.changed = sync.NewCond(&p.mu)
	go p.serve()
	tb.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Freeze freezes every open connection and every one accepted from now
// on, until Thaw.
func (p *Proxy) Freeze() { p.set(true, true) }

// Thaw lets every connection, frozen or not, forward again.
func (p *Proxy) Thaw() { p.set(false, false) }

// ThawNew lets connections accepted from now on forward, and keeps the
// ones frozen so far frozen.
func (p *Proxy) ThawNew() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.freezeNew = false
	p.changed.Broadcast()
}

func (p *Proxy) set(frozen, freezeNew bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.freezeNew = freezeNew
	for c := range p.conns {
		p.conns[c] = frozen
	}
	p.changed.Broadcast()
}

// Down closes every open connection, dropping whatever a frozen one
// holds, and closes each new one at once, until Up.
func (p *Proxy) Down() {
	p.mu.Lock()
	p.down = true
	open := p.openLocked()
	p.mu.Unlock()
	for _, c := range open {
		p.drop(c)
	}
}

// Up lets new connections through again.
func (p *Proxy) Up() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// WaitFrozen waits up to d until at least n open connections are frozen,
// and reports whether they were.
func (p *Proxy) WaitFrozen(n int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	stop := time.AfterFunc(d, func() { p.mu.Lock(); p.changed.Broadcast(); p.mu.Unlock() })
	defer stop.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.frozenLocked() < n {
		if time.Now().After(deadline) {
			return false
		}
		p.changed.Wait()
	}
	return true
}

func (p *Proxy) frozenLocked() int {
	n := 0
	for _, frozen := range p.conns {
		if frozen {
			n++
		}
	}
	return n
}

func (p *Proxy) serve() {
	defer close(p.served)
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			client.Close()
			continue
		}
		server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			client.Close()
			continue
		}
		c := &proxyConn{client: client, server: server}
		p.mu.Lock()
		p.conns[c] = p.freezeNew
		p.changed.Broadcast()
		p.mu.Unlock()
		p.wg.Go(func() { p.forward(c) })
	}
}

// forward copies both ways until either side closes, then closes both.
func (p *Proxy) forward(c *proxyConn) {
	var wg sync.WaitGroup
	wg.Go(func() { p.copy(c, c.server, c.client) })
	wg.Go(func() { p.copy(c, c.client, c.server) })
	wg.Wait()
}

// copy forwards from src to dst, holding each chunk while c is frozen.
// A chunk held when the connection closes is dropped, as a dead network
// would drop it.
func (p *Proxy) copy(c *proxyConn, dst io.Writer, src io.Reader) {
	defer p.drop(c)
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.waitThawed(c) {
			return
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// drop closes both sides of c and forgets it, which also ends a copy
// waiting for c to thaw.
func (p *Proxy) drop(c *proxyConn) {
	c.client.Close()
	c.server.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.changed.Broadcast()
	p.mu.Unlock()
}

// waitThawed blocks while c is frozen; false means c was closed.
func (p *Proxy) waitThawed(c *proxyConn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		frozen, open := p.conns[c]
		if !open {
			return false
		}
		if !frozen {
			return true
		}
		p.changed.Wait()
	}
}

// close stops accepting and closes every connection.
func (p *Proxy) close() {
	p.ln.Close()
	<-p.served // every accepted connection is in conns now
	p.mu.Lock()
	open := p.openLocked()
	p.mu.Unlock()
	for _, c := range open {
		p.drop(c)
	}
	p.wg.Wait()
}

// openLocked lists the open connections.
func (p *Proxy) openLocked() []*proxyConn {
	open := make([]*proxyConn, 0, len(p.conns))
	for c := range p.conns {
		open = append(open, c)
	}
	return open
}
