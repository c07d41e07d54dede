package app_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/mail"
)

// TestSizeLimits: JSON_MAX_BYTES and UPLOAD_MAX_BYTES reach the API: a
// body over either is refused with 413, one under it is not.
func TestSizeLimits(t *testing.T) {
	cfg := load(t, map[string]string{"JSON_MAX_BYTES": "4KiB", "UPLOAD_MAX_BYTES": "1MiB"})
	_, srv := serve(t, cfg, &mail.Recorder{})
	token := signup(t, srv, "sizes")

	status := func(path, contentType string, body []byte) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	login := func(padding int) []byte {
		b, _ := json.Marshal(map[string]string{"username": "sizes", "password": "wrong-" + strings.Repeat("x", padding)})
		return b
	}
	if got := status("/instamern/users/login", "application/json", login(5000)); got != http.StatusRequestEntityTooLarge {
		t.Errorf("5 kB of JSON with JSON_MAX_BYTES=4KiB: %d, want 413", got)
	}
	if got := status("/instamern/users/login", "application/json", login(100)); got == http.StatusRequestEntityTooLarge {
		t.Errorf("a small JSON body got 413")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("post", "big.jpg")
	fw.Write(bytes.Repeat([]byte{0xff}, 3<<20)) // over 1 MiB and the multipart slack
	mw.Close()
	if got := status("/instamern/posts/upload", mw.FormDataContentType(), body.Bytes()); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a 3 MiB photo with UPLOAD_MAX_BYTES=1MiB: %d, want 413", got)
	}
}
