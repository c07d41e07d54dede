package api_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/openapi/openapitest"
)

// rawServer serves the API, as gramd does, on api.Listener with a small
// MaxHeaderBytes, and returns its address.
func rawServer(t *testing.T) string {
	t.Helper()
	h := newHarness(t, backend{"sqlite", openSQLite})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h.srv.Config.Handler, MaxHeaderBytes: 4 << 10, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(api.Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// rawExchange sends req on a new connection, exactly as written, and
// reads one response; keepAlive then sends req again on it.
func rawExchange(t *testing.T, addr, req string, times int) []*http.Response {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	var out []*http.Response
	for range times {
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%.60q: %v", req, err)
		}
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode >= 400 {
			if err := openapitest.ForAPI(t).CheckRefusal(res, body); err != nil {
				t.Errorf("%.60q: %v", req, err)
			}
		}
		res.Body = io.NopCloser(strings.NewReader(string(body)))
		out = append(out, res)
	}
	return out
}

// TestRefusalsInEnvelope specifies that what net/http refuses before any
// handler runs, a malformed percent-escape in the path, a request without
// Host, headers or a URL over MaxHeaderBytes, answers in the fail
// envelope with its status, and that other responses pass unchanged.
func TestRefusalsInEnvelope(t *testing.T) {
	t.Parallel()
	addr := rawServer(t)
	huge := strings.Repeat("a", 16<<10)
	cases := []struct {
		name, req string
		status    int
		msg       string
	}{
		{"BadEscape", "GET /instamern/users/id/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "The request is malformed (for example a bad %-escape in the URL)."},
		{"TruncatedEscape", "GET /instamern/users/search/% HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"NoHost", "GET /instamern/posts HTTP/1.1\r\n\r\n", 400, "The request is malformed: missing required Host header."},
		{"LargeHeader", "GET /instamern/posts HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n", 431, "The request's headers or URL are too large."},
		{"LargeURL", "GET /instamern/users/search/" + huge + " HTTP/1.1\r\nHost: x\r\n\r\n", 431, "The request's headers or URL are too large."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := rawExchange(t, addr, c.req, 1)[0]
			raw, _ := io.ReadAll(res.Body)
			var body map[string]any
			if err := json.Unmarshal(raw, &body); err != nil || res.StatusCode != c.status || body["status"] != "fail" ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("%d %s %q, want %d in a fail envelope", res.StatusCode, res.Header.Get("Content-Type"), raw, c.status)
			}
			if m, _ := body["message"].(string); m == "" || (c.msg != "" && m != c.msg) {
				t.Errorf("message %q, want %q", m, c.msg)
			}
		})
	}
	// A served request, twice on one connection, is not touched.
	for i, res := range rawExchange(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2) {
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || res.Header.Get("Date") == "" || !strings.Contains(string(raw), `"alive"`) {
			t.Errorf("healthz #%d: %d %v %q", i, res.StatusCode, res.Header, raw)
		}
	}
}
