package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// Listener wraps a plain TCP listener so that the requests net/http
// refuses before any handler sees them are answered in the contract's
// fail envelope too, not in plain text: headers or a URL larger than the
// server's MaxHeaderBytes (431), a request that does not parse, such as a
// malformed percent-escape in the path (400), and an unknown transfer
// coding (501). net/http writes those refusals itself, each in a single
// write with headers no response of a handler has; the connection
// rewrites exactly those writes and passes everything else through.
//
// It cannot do so for HTTPS served by this process: the refusal is
// encrypted inside tls.Conn, above any listener.
func Listener(ln net.Listener) net.Listener { return envelopeListener{ln} }

type envelopeListener struct{ net.Listener }

func (l envelopeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return envelopeConn{c}, nil
}

// envelopeConn is a connection whose net/http refusals are rewritten.
type envelopeConn struct{ net.Conn }

// refusalHeaders are the headers of net/http's own refusals (server.go,
// conn.serve): a handler's response always has a Date header besides.
const refusalHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func (c envelopeConn) Write(b []byte) (int, error) {
	status, detail, isRefusal := parseRefusal(b)
	if !isRefusal {
		return c.Conn.Write(b)
	}
	if _, err := c.Conn.Write(refusalEnvelope(status, detail)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// ReadFrom keeps the sendfile path of the connection underneath (media).
func (c envelopeConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite lets net/http half-close after a 431, as it does a TCP
// connection.
func (c envelopeConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// parseRefusal recognises a whole refusal of net/http in b:
// "HTTP/1.1 NNN Text" + refusalHeaders + a one-line body, with NNN an
// error status. detail is what net/http says after the status text
// ("missing required Host header"), if anything.
func parseRefusal(b []byte) (status int, detail string, ok bool) {
	head, body, found := bytes.Cut(b, []byte(refusalHeaders))
	if !found || len(b) > 512 || !bytes.HasPrefix(head, []byte("HTTP/1.1 ")) || len(head) < 13 || head[12] != ' ' ||
		bytes.ContainsAny(head, "\r\n") || bytes.ContainsAny(body, "\r\n") {
		return 0, "", false
	}
	status, err := strconv.Atoi(string(head[9:12]))
	if err != nil || status < 400 || status > 599 {
		return 0, "", false
	}
	_, after, hasDetail := bytes.Cut(head[13:], []byte(": "))
	if hasDetail {
		detail = string(after)
	}
	return status, detail, true
}

// refusalEnvelope is the response that replaces a refusal.
func refusalEnvelope(status int, detail string) []byte {
	msg := http.StatusText(status) + "."
	switch status {
	case http.StatusRequestHeaderFieldsTooLarge:
		msg = "The request's headers or URL are too large."
	case http.StatusBadRequest:
		msg = "The request is malformed (for example a bad %-escape in the URL)."
		if detail != "" {
			msg = "The request is malformed: " + detail + "."
		}
	case http.StatusNotImplemented:
		msg = "The request's transfer encoding is not supported."
	}
	body, _ := json.Marshal(failBody{Status: "fail", Message: msg})
	return fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n"+
		"X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n%s", status, http.StatusText(status), len(body), body)
}
