package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// endpoints are the upload routes and their file fields, by -kind.
var endpoints = map[string][2]string{
	"post":   {"/instamern/posts/upload", "post"},
	"story":  {"/instamern/stories/upload", "story"},
	"avatar": {"/instamern/users/upload", "photo"},
}

const password = "upload-bench-passphrase"

// signUp creates n accounts, 8 at a time, and returns their tokens.
func signUp(ctx context.Context, base string, n int) ([]string, error) {
	tokens := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			tokens[i], errs[i] = signUpOne(ctx, base, fmt.Sprintf("uploader%04d", i))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

func signUpOne(ctx context.Context, base, name string) (string, error) {
	body, _ := json.Marshal(map[string]string{"firstname": "Up", "lastname": "Loader", "username": name,
		"email": name + "@example.com", "password": password, "passwordConfirm": password})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/instamern/users/signup", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ Token, Message string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("sign up %s: %d %s (%v)", name, res.StatusCode, out.Message, err)
	}
	return out.Token, nil
}

// outcome is how one upload ended.
type outcome struct {
	Status  int
	Message string
	Took    time.Duration
}

// uploader sends the image as a multipart upload, streaming the body from
// the one file: a prefix and suffix of its own, the file's bytes shared.
type uploader struct {
	client     *http.Client
	url        string
	img        *os.File
	size       int64
	ctype      string
	head, tail []byte
	timeout    time.Duration
}

func newUploader(c *config, img *os.File, base string) (*uploader, error) {
	st, err := img.Stat()
	if err != nil {
		return nil, err
	}
	ep := endpoints[c.kind]
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, err := mw.CreateFormFile(ep[1], filepath.Base(img.Name())); err != nil {
		return nil, err
	}
	head := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return nil, err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: c.n, DisableCompression: true}
	return &uploader{client: &http.Client{Transport: tr}, url: base + ep[0], img: img, size: st.Size(),
		ctype: mw.FormDataContentType(), head: head, tail: bytes.Clone(buf.Bytes()), timeout: c.timeout}, nil
}

// send uploads once as the holder of token; a transport failure is an
// outcome with status 0.
func (u *uploader) send(ctx context.Context, token string) outcome {
	ctx, cancel := context.WithTimeout(ctx, u.timeout)
	defer cancel()
	start := time.Now()
	body := io.MultiReader(bytes.NewReader(u.head), io.NewSectionReader(u.img, 0, u.size), bytes.NewReader(u.tail))
	req, err := http.NewRequestWithContext(ctx, "POST", u.url, body)
	if err != nil {
		return outcome{Message: err.Error()}
	}
	req.ContentLength = int64(len(u.head)) + u.size + int64(len(u.tail))
	req.Header.Set("Content-Type", u.ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := u.client.Do(req)
	if err != nil {
		return outcome{Message: err.Error(), Took: time.Since(start)}
	}
	defer res.Body.Close()
	var env struct{ Message string }
	_ = json.NewDecoder(res.Body).Decode(&env)
	if ra := res.Header.Get("Retry-After"); ra != "" {
		env.Message += " (Retry-After: " + ra + ")"
	}
	return outcome{Status: res.StatusCode, Message: env.Message, Took: time.Since(start)}
}
