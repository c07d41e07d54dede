package api_test

import (
	"bytes"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
)

// U12, U13: set and remove the profile photo.
func TestAvatar(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		me := func(t *testing.T) map[string]any {
			t.Helper()
			_, body := h.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			return obj(t, body, "data", "user")
		}

		var first string
		t.Run("Upload", func(t *testing.T) {
			for i, img := range [][]byte{pngImage(t, 50, 40), jpegImage(t, 400, 300)} {
				st, body := h.upload(t, "/instamern/users/upload", alice.Token, "photo", "me.png", img, nil)
				wantSuccess(t, st, body, 200)
				if body["message"] != "Profile photo has been updated successfully." {
					t.Errorf("message %q", body["message"])
				}
				u := obj(t, body, "data")["url"].(string)
				h.fetchImage(t, u)
				if got := me(t)["photo"]; got != u {
					t.Errorf("current-user photo %v, want %v", got, u)
				}
				_, prof := h.do(t, "GET", "/instamern/users/username/alice", "", nil)
				if got := obj(t, prof, "data", "user")["photo"]; got != u {
					t.Errorf("profile photo %v, want %v", got, u)
				}
				if i == 0 {
					first = u
				} else if u == first {
					t.Error("a new photo reuses the old URL (stale caches)")
				}
			}
			// The replaced object is deleted.
			if res, _ := h.request(t, "GET", strings.TrimPrefix(first, h.srv.URL), "", nil, nil); res.StatusCode != 404 {
				t.Errorf("old photo still served: %d", res.StatusCode)
			}
		})

		t.Run("Remove", func(t *testing.T) {
			photo := me(t)["photo"].(string)
			st, body := h.do(t, "POST", "/instamern/users/remove", alice.Token, nil)
			wantSuccess(t, st, body, 200)
			if body["message"] != "Your profile picture has been removed successfully." || body["data"] != nil {
				t.Errorf("body %v", body)
			}
			if p, has := me(t)["photo"]; has && p != "" && p != nil {
				t.Errorf("photo still set: %v", p)
			}
			if res, _ := h.request(t, "GET", strings.TrimPrefix(photo, h.srv.URL), "", nil, nil); res.StatusCode != 404 {
				t.Errorf("removed photo still served: %d", res.StatusCode)
			}
			st, body = h.do(t, "POST", "/instamern/users/remove", alice.Token, nil)
			wantSuccess(t, st, body, 200)
			if body["message"] != "No profile picture found. Nothing to delete." {
				t.Errorf("message %q", body["message"])
			}
		})

		t.Run("NoFile", func(t *testing.T) {
			st, body := h.upload(t, "/instamern/users/upload", alice.Token, "", "", nil, nil)
			wantFail(t, st, body, 400, "No photo found to upload.")
		})
	})
}

// B24: every upload endpoint rejects bad files with a fail envelope (never
// a 500) and stores nothing.
func TestUploadErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		const limit = 256 << 10
		h := newHarness(t, b, withMaxUpload(limit))
		alice := h.signup(t, "alice")
		good := jpegImage(t, 64, 64)
		big := make([]byte, limit+1)
		_, _ = rand.Read(big)
		copy(big, good[:2]) // starts like a JPEG
		heic := append([]byte{0, 0, 0, 0x18}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...)

		endpoints := []struct{ path, field string }{
			{"/instamern/users/upload", "photo"},
			{"/instamern/posts/upload", "post"},
			{"/instamern/stories/upload", "story"},
		}
		cases := []struct {
			name, field, filename string
			data                  []byte
			status                int
		}{
			{"TextNamedJPG", "", "photo.jpg", []byte("this is not an image, just some text\n"), http.StatusUnsupportedMediaType},
			{"HEIC", "", "photo.heic", heic, http.StatusUnsupportedMediaType},
			{"TruncatedJPEG", "", "photo.jpg", good[:len(good)/2], http.StatusBadRequest},
			{"WrongField", "file", "photo.jpg", good, http.StatusBadRequest},
			{"TooLarge", "", "photo.jpg", big, http.StatusRequestEntityTooLarge},
		}
		for _, ep := range endpoints {
			for _, tc := range cases {
				t.Run(strings.TrimPrefix(ep.path, "/instamern/")+"/"+tc.name, func(t *testing.T) {
					field := tc.field
					if field == "" {
						field = ep.field
					}
					st, body := h.upload(t, ep.path, alice.Token, field, tc.filename, tc.data, nil)
					wantFail(t, st, body, tc.status, "")
				})
			}
			t.Run(strings.TrimPrefix(ep.path, "/instamern/")+"/NotMultipart", func(t *testing.T) {
				st, body := h.do(t, "POST", ep.path, alice.Token, map[string]any{ep.field: "x"})
				wantFail(t, st, body, http.StatusUnsupportedMediaType, "")
			})
			t.Run(strings.TrimPrefix(ep.path, "/instamern/")+"/TwoFiles", func(t *testing.T) {
				st, body := h.uploadRaw(t, ep.path, alice.Token, ep.field, good)
				wantFail(t, st, body, http.StatusBadRequest, "Please upload only one photo.")
			})
		}
		if objs, _ := h.blobs.List(t.Context(), ""); len(objs) != 0 {
			t.Errorf("rejected uploads stored %d objects", len(objs))
		}
	})
}

// uploadRaw sends a multipart body with the same file field twice.
func (h *harness) uploadRaw(t *testing.T, path, token, field string, data []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	const boundary = "XBOUNDARYX"
	for range 2 {
		buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
		buf.Write(data)
		buf.WriteString("\r\n")
	}
	buf.WriteString("--" + boundary + "--\r\n")
	req, err := http.NewRequestWithContext(t.Context(), "POST", h.srv.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", "Bearer "+token)
	res, raw := h.send(t, req)
	return res.StatusCode, envelopeOf(t, res, raw)
}
