package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"testing"
	"time"
)

// inFlight is a photo upload whose request has reached its handler and
// waits for its body, so that it is surely in flight (not waiting in the
// accept queue, not on an idle keep-alive connection).
type inFlight struct {
	body []byte
	pw   *io.PipeWriter
	resc chan inFlightResult
}

type inFlightResult struct {
	code int
	body string
	err  error
}

// startInFlight starts a post upload by tok's user and returns once the
// server has asked for its body: "Expect: 100-continue" makes that
// observable, as the server answers 100 only when the handler reads.
func startInFlight(t *testing.T, g *gramd, tok string) *inFlight {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("post", "slow.jpg")
	fw.Write(testJPEG(t, 1200, 1500))
	mw.WriteField("caption", "slow")
	mw.Close()
	pr, pw := io.Pipe()
	f := &inFlight{body: body.Bytes(), pw: pw, resc: make(chan inFlightResult, 1)}
	started := make(chan struct{})
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{Got100Continue: func() { close(started) }})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/instamern/posts/upload", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	go func() {
		res, err := client.Do(req)
		if err != nil {
			f.resc <- inFlightResult{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		f.resc <- inFlightResult{code: res.StatusCode, body: string(b)}
	}()
	select {
	case <-started:
	case res := <-f.resc:
		t.Fatalf("upload answered before its body was sent: %d %v %s", res.code, res.err, res.body)
	case <-time.After(10 * time.Second):
		t.Fatal("no 100 Continue within 10s")
	}
	return f
}

// finish sends the body and requires the upload to be created within d.
func (f *inFlight) finish(t *testing.T, d time.Duration) {
	t.Helper()
	if _, err := f.pw.Write(f.body); err != nil {
		t.Fatal(err)
	}
	f.pw.Close()
	select {
	case res := <-f.resc:
		if res.err != nil || res.code != http.StatusCreated {
			t.Fatalf("in-flight upload during shutdown: %d %v %s", res.code, res.err, res.body)
		}
	case <-time.After(d):
		t.Fatalf("in-flight upload did not finish within %v", d)
	}
}
