package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// reply is a decoded response: the contract's envelope plus the status.
type reply struct {
	Code    int    `json:"-"`
	Raw     string `json:"-"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Token   string `json:"token"`
	Results *int   `json:"results"`
	Data    struct {
		User    user         `json:"user"`
		Users   []user       `json:"users"`
		Post    post         `json:"post"`
		Posts   []post       `json:"posts"`
		Story   story        `json:"story"`
		Stories []storyGroup `json:"stories"`
		URL     string       `json:"url"`
	} `json:"data"`
}

type user struct {
	ID            string         `json:"_id"`
	Username      string         `json:"username"`
	Firstname     string         `json:"firstname"`
	Lastname      string         `json:"lastname"`
	Bio           string         `json:"bio"`
	Email         string         `json:"email"`
	Photo         string         `json:"photo"`
	Password      *string        `json:"password"`
	Followers     []string       `json:"followers"`
	Followings    []string       `json:"followings"`
	Notifications []notification `json:"notifications"`
	Posts         []post         `json:"posts"`
}

type notification struct {
	ID           string `json:"_id"`
	NotifiedBy   string `json:"notifiedBy"`
	NotifiedTo   string `json:"notifiedTo"`
	Notification string `json:"notification"`
	New          bool   `json:"new"`
}

type post struct {
	ID       string    `json:"_id"`
	IDCopy   string    `json:"id"`
	Caption  string    `json:"caption"`
	Photo    string    `json:"photo"`
	PostedBy string    `json:"postedBy"`
	Likes    []string  `json:"likes"`
	PostedAt string    `json:"postedAt"`
	Like     int       `json:"like"`
	Comment  int       `json:"comment"`
	Comments []comment `json:"comments"`
}

type comment struct {
	Comment       string `json:"comment"`
	CommentedBy   string `json:"commentedBy"`
	CommentedPost string `json:"commentedPost"`
}

type story struct {
	ID        string `json:"_id"`
	Photo     string `json:"photo"`
	StoriedBy string `json:"storiedBy"`
}

type storyGroup struct {
	ID      string `json:"_id"`
	Stories []struct {
		StoryID string `json:"storyId"`
		Photo   string `json:"photo"`
	} `json:"stories"`
}

// call sends a JSON request (body nil: none) with the bearer token (""
// sends no Authorization header) and requires the wanted HTTP status.
func (g *gramd) call(method, path, token string, body any, want int) *reply {
	g.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			g.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, g.base+path, rd)
	if err != nil {
		g.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return g.send(req, token, want)
}

// upload posts a multipart form with one JPEG file in field and the
// text fields, as the client's FormData does.
func (g *gramd) upload(path, token, field string, img []byte, fields map[string]string, want int) *reply {
	g.t.Helper()
	return g.send(g.uploadRequest(path, field, img, fields), token, want)
}

// uploadRequest is the request of upload, without the token.
func (g *gramd) uploadRequest(path, field string, img []byte, fields map[string]string) *http.Request {
	g.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			g.t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile(field, "photo.jpg")
	if err != nil {
		g.t.Fatal(err)
	}
	fw.Write(img)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, g.base+path, &buf)
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func (g *gramd) send(req *http.Request, token string, want int) *reply {
	g.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := g.client.Do(req)
	if err != nil {
		g.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		g.t.Fatal(err)
	}
	r := &reply{Code: res.StatusCode, Raw: string(raw)}
	if res.StatusCode != want {
		g.t.Fatalf("%s %s: status %d, want %d; body %s", req.Method, req.URL.Path, res.StatusCode, want, raw)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		g.t.Fatalf("%s %s: Content-Type %q, want JSON; body %q", req.Method, req.URL.Path, ct, raw)
	}
	if err := json.Unmarshal(raw, r); err != nil {
		g.t.Fatalf("%s %s: body is not the JSON envelope: %v; %s", req.Method, req.URL.Path, err, raw)
	}
	wantStatus := "success"
	if want >= 400 {
		wantStatus = "fail"
	}
	if r.Status != wantStatus {
		g.t.Fatalf("%s %s: status %q, want %q; body %s", req.Method, req.URL.Path, r.Status, wantStatus, raw)
	}
	return r
}

// wantMessage requires the envelope's message.
func wantMessage(t *testing.T, r *reply, msg string) {
	t.Helper()
	if r.Message != msg {
		t.Fatalf("message %q, want %q; body %s", r.Message, msg, r.Raw)
	}
}

// fetchImage GETs a media URL and returns the decoded dimensions.
func fetchImage(t *testing.T, url string) image.Config {
	t.Helper()
	res := getOK(t, url)
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "image/jpeg" {
		t.Fatalf("GET %s: Content-Type %q, want image/jpeg", url, ct)
	}
	cfg, format, err := image.DecodeConfig(res.Body)
	if err != nil || format != "jpeg" {
		t.Fatalf("GET %s: decode: format %q, %v", url, format, err)
	}
	return cfg
}

// getOK GETs url and requires a 200; the caller closes the body.
func getOK(t *testing.T, url string) *http.Response {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		t.Fatalf("GET %s: %s, want 200", url, res.Status)
	}
	return res
}

// wantGone requires a media URL to answer 404.
func wantGone(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("GET %s: status %d, want 404", url, res.StatusCode)
	}
}

// testJPEG is a w x h JPEG with a gradient, like a camera photo.
func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var resetLink = regexp.MustCompile(`https://instamern\.netlify\.app/reset-password/([0-9a-f]{64})\b`)
