package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
)

// target is the server under load and what the load needs to know about
// its data.
type target struct {
	base    string // http://host:port
	client  *http.Client
	users   int      // seeded users: Username(0..users-1)
	postIDs []string // posts to read, like and comment on
	deep    string   // a feed cursor far back
	jpeg    []byte   // the upload
}

func newClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns: 2 * conns, MaxIdleConnsPerHost: 2 * conns, DisableCompression: true,
	}}
}

// vu is a virtual user: one logged-in account, used by one connection at
// a time.
type vu struct {
	t      *target
	user   int
	token  string
	rng    *rand.Rand
	follow bool // the next follow operation follows (else unfollows)
	// liked, when set, is told the outcome of every like toggle.
	liked func(postID string, liked bool)
}

// httpError is an unexpected answer.
type httpError struct {
	method, path string
	status       int
	body         string
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.method, e.path, e.status, e.body)
}

// do sends one request as v and checks the status; out, when not nil,
// receives the decoded JSON body. The body is always read to the end so
// the connection is reused.
func (v *vu) do(ctx context.Context, method, path, ctype string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, v.t.base+path, rd)
	if err != nil {
		return err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if v.token != "" {
		req.Header.Set("Authorization", "Bearer "+v.token)
	}
	resp, err := v.t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		_, _ = io.Copy(io.Discard, resp.Body)
		return &httpError{method, shortPath(path), resp.StatusCode, strings.TrimSpace(string(b))}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// shortPath drops the query (a cursor) from error texts.
func shortPath(p string) string {
	if i := strings.IndexAny(p, "?"); i >= 0 {
		p = p[:i]
	}
	return p
}

func (v *vu) getJSON(ctx context.Context, path string, out any) error {
	return v.do(ctx, http.MethodGet, path, "", nil, http.StatusOK, out)
}

func (v *vu) postJSON(ctx context.Context, path string, in any, want int, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return v.do(ctx, http.MethodPost, path, "application/json", b, want, out)
}
