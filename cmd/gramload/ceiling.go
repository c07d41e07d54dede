package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// ceiling is the fastest a Go HTTP server can answer this feed: a bare
// net/http server writing a pre-serialised copy of a real first feed
// page. Every endpoint's throughput is reported as a ratio of it.
type ceiling struct {
	base string
	size int
	srv  *http.Server
}

func startCeiling(ctx context.Context, t *target) (*ceiling, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+"/instamern/posts", nil)
	if err != nil {
		return nil, err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("ceiling: read a feed page: %d %v", resp.StatusCode, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	size := strconv.Itoa(len(page))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", size)
		_, _ = w.Write(page)
	})}
	go func() { _ = srv.Serve(ln) }()
	return &ceiling{base: "http://" + ln.Addr().String(), size: len(page), srv: srv}, nil
}

func (c *ceiling) close() { _ = c.srv.Close() }

// opCeiling fetches the ceiling's page; its vu's target is the ceiling.
var opCeiling = &op{"ceiling", func(ctx context.Context, v *vu) error {
	return v.getJSON(ctx, "/", nil)
}}
