package testenv

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// TestProxy_DownUp: a proxy that is down closes the connections it had
// and every new one; once up, it forwards again.
func TestProxy_DownUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // an echo server
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	p := NewProxy(t, ln.Addr().String())
	echo := func(c net.Conn) error {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte("ping\n")); err != nil {
			return err
		}
		_, err := bufio.NewReader(c).ReadString('\n')
		return err
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	open := dial()
	if err := echo(open); err != nil {
		t.Fatalf("echo through the proxy: %v", err)
	}
	p.Down()
	if err := echo(open); err == nil {
		t.Error("a connection open when the proxy went down still echoes")
	}
	if err := echo(dial()); err == nil {
		t.Error("a connection made while the proxy is down echoes")
	}
	p.Up()
	if err := echo(dial()); err != nil {
		t.Errorf("echo after Up: %v", err)
	}
}
