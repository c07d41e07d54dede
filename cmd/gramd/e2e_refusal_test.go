package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestE2E_RefusalsAreJSON sends gramd, over raw TCP, what net/http
// refuses before any handler: a malformed percent-escape in the path and
// headers over the server's limit. Both answer in the fail envelope.
func TestE2E_RefusalsAreJSON(t *testing.T) {
	g := startGramd(t, "")
	addr := strings.TrimPrefix(g.base, "http://")
	for req, want := range map[string]int{
		"GET /instamern/users/id/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n":                                         http.StatusBadRequest,
		"GET /instamern/posts HTTP/1.1\r\nHost: localhost\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n": http.StatusRequestHeaderFieldsTooLarge,
	} {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		go func() { _, _ = io.WriteString(c, req) }() // a 431 may come before the whole request is written
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("%.50q: %v", req, err)
		}
		var body struct{ Status, Message string }
		err = json.NewDecoder(res.Body).Decode(&body)
		c.Close()
		if err != nil || res.StatusCode != want || body.Status != "fail" || body.Message == "" {
			t.Errorf("%.50q: %d %+v (%v), want %d in a fail envelope", req, res.StatusCode, body, err, want)
		}
	}
}
