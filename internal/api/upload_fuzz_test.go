package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/media"
)

// FuzzUpload feeds arbitrary multipart bodies (and boundaries) to the
// three upload routes of the real handler, in process, on SQLite with a
// Mem blob store. It must never answer 5xx or anything but the JSON
// envelope, and a refused upload must store no object. Image limits are
// small so that the fuzzer explores parsing rather than big decodes.
func FuzzUpload(f *testing.F) {
	jpg := jpegImage(f, 16, 12)
	for kind, field := range []string{"photo", "post", "story"} { // the file field of each route
		f.Add([]byte(multipartSeed("B", field, "p.jpg", jpg, "", "")), "B", uint8(kind))
		f.Add([]byte(multipartSeed("b-\"x", field, "../p.jpg", jpg[:len(jpg)/2], "", "")), "b-\"x", uint8(kind))
	}
	for _, seed := range []struct {
		body     string
		boundary string
	}{
		{multipartSeed("B", "post", "p.jpg", jpg, "caption", "hello"), "B"},
		{multipartSeed("B", "post", "p.jpg", jpg, "", "") + multipartSeed("B", "post", "p.jpg", jpg, "", ""), "B"},
		{multipartSeed("B", "post", "p.jpg", jpg, "caption", "x")[:60], "B"},
		{"--B\r\nContent-Disposition: form-data; name=\"post\"; filename=\"a.jpg\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=FF=D8=FF\r\n--B--\r\n", "B"},
		{"--B\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n--C\r\n\r\nx\r\n--C--\r\n--B--\r\n", "B"},
		{"--B\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + strings.Repeat("a", 300) + "\r\n--B--\r\n", "B"},
		{"--B\r\n\r\n\r\n--B--", "B"},
		{"", ""},
		{"--\"q\"\r\n\r\n--\"q\"--", `"q"`},
	} {
		for kind := range uint8(3) {
			f.Add([]byte(seed.body), seed.boundary, kind)
		}
	}
	handler, blobs, token := fuzzServer(f)
	paths := []string{"/instamern/users/upload", "/instamern/posts/upload", "/instamern/stories/upload"}
	f.Fuzz(func(t *testing.T, body []byte, boundary string, kind uint8) {
		before := blobKeys(t, blobs)
		req := httptest.NewRequest("POST", paths[int(kind)%len(paths)], bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		var env struct {
			Status, Message string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%d %q: not a JSON envelope: %v", rec.Code, rec.Body.String(), err)
		}
		switch {
		case rec.Code >= 500:
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		case rec.Code >= 400 && (env.Status != "fail" || env.Message == ""):
			t.Fatalf("%d with envelope %+v", rec.Code, env)
		case rec.Code >= 400 && !slices.Equal(before, blobKeys(t, blobs)):
			t.Fatalf("refused (%d %s) but stored objects changed", rec.Code, env.Message)
		case rec.Code < 400 && env.Status != "success":
			t.Fatalf("%d with envelope %+v", rec.Code, env)
		}
	})
}

// fuzzServer builds the API on a fresh SQLite store, a Mem blob store and
// a small image pipeline, and signs up one user.
func fuzzServer(f *testing.F) (http.Handler, *blob.Mem, string) {
	store := openSQLite(f)
	blobs := blob.NewMem("http://media.example")
	limit := strconv.Itoa(1<<30) + "/1h"
	handler := newApp(f, map[string]string{"RATE_LIMIT_AUTH": limit, "RATE_LIMIT_WRITE": limit, "RATE_LIMIT_READ": limit},
		app.Overrides{Store: store, Blobs: blobs, Images: media.New(media.Config{MaxBytes: 256 << 10, MaxPixels: 1 << 20, Concurrency: 1}),
			API: func(c *api.Config) { c.MaxUpload = 256 << 10 }}).Handler
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/instamern/users/signup", strings.NewReader(`{"firstname":"Fuzz","lastname":"User",`+
		`"username":"fuzz","email":"fuzz@example.com","password":"`+testPassword+`","passwordConfirm":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	handler.ServeHTTP(rec, req)
	var out struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Token == "" {
		f.Fatalf("signup: %d %s", rec.Code, rec.Body.String())
	}
	return handler, blobs, out.Token
}

func blobKeys(t *testing.T, blobs *blob.Mem) []string {
	objs, err := blobs.List(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(objs))
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	slices.Sort(keys)
	return keys
}

// multipartSeed is a body with one file part and, if name is set, one
// text part.
func multipartSeed(boundary, field, filename string, data []byte, name, value string) string {
	var b strings.Builder
	if name != "" {
		b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
	}
	b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename +
		"\"\r\nContent-Type: image/jpeg\r\n\r\n")
	b.Write(data)
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.String()
}
