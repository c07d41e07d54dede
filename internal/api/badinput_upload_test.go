package api_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/blob"
)

// uploadEndpoint is a multipart upload route, its file field and the text
// fields it reads.
type uploadEndpoint struct {
	name, path, field string
	text              []string
}

var uploadEndpoints = []uploadEndpoint{
	{"Avatar", "/instamern/users/upload", "photo", nil},
	{"Post", "/instamern/posts/upload", "post", []string{"caption"}},
	{"Story", "/instamern/stories/upload", "story", nil},
}

// part is one part of a hand-made multipart body.
type part struct {
	name, filename, ctype string
	data                  []byte
}

// multipartBody builds a body with boundary from parts; closed adds the
// final boundary.
func multipartBody(boundary string, closed bool, parts ...part) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"")
		if p.filename != "" {
			b.WriteString("; filename=\"" + p.filename + "\"")
		}
		b.WriteString("\r\n")
		if p.ctype != "" {
			b.WriteString("Content-Type: " + p.ctype + "\r\n")
		}
		b.WriteString("\r\n")
		b.Write(p.data)
		b.WriteString("\r\n")
	}
	if closed {
		b.WriteString("--" + boundary + "--\r\n")
	}
	return b.Bytes()
}

// sendMultipart posts body with the content type as alice.
func (fx *fixture) sendMultipart(t *testing.T, path, ctype string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", fx.h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+fx.alice.Token)
	return fx.h.send(t, req)
}

// pngBomb is a valid 1x1 PNG whose header claims w×h pixels.
func pngBomb(t *testing.T, w, h uint32) []byte {
	t.Helper()
	b := pngImage(t, 1, 1)
	// The IHDR chunk: length (8), type (12), width (16), height (20), CRC
	// over type and data (29).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// jpegBomb is a small JPEG whose frame header claims w×h pixels.
func jpegBomb(t *testing.T, w, h uint16) []byte {
	t.Helper()
	b := jpegImage(t, 8, 8)
	i := bytes.Index(b, []byte{0xff, 0xc0}) // SOF0: length, precision, height, width
	if i < 0 {
		t.Fatal("no SOF0 in the test JPEG")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// gifBomb is a GIF whose logical screen is screen×screen pixels with a
// first frame of frame×frame pixels.
func gifBomb(t *testing.T, screen, frame uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	m := image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black, color.White})
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	binary.LittleEndian.PutUint16(b[6:], screen)
	binary.LittleEndian.PutUint16(b[8:], screen)
	i := bytes.IndexByte(b[13:], 0x2c) + 13 // image descriptor: left, top, width, height
	binary.LittleEndian.PutUint16(b[i+5:], frame)
	binary.LittleEndian.PutUint16(b[i+7:], frame)
	return b
}

// webpBomb is a VP8X WebP header with a 16384×16384 canvas and nothing else.
func webpBomb() []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+10))
	b.WriteString("WEBPVP8X")
	_ = binary.Write(&b, binary.LittleEndian, uint32(10))
	b.Write([]byte{0, 0, 0, 0})
	b.Write([]byte{0xff, 0x3f, 0x00, 0xff, 0x3f, 0x00}) // width-1, height-1: 16383 (24-bit)
	return b.Bytes()
}

// Malformed multipart bodies, oversized files and fields, pixel bombs and
// non-images with an image name on every upload route: a 4xx JSON fail,
// and no row and no stored object.
func TestBadInputUploads(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		const limit = 256 << 10
		fx := newFixture(t, b, withMaxUpload(limit))
		good := jpegImage(t, 32, 32)
		const bd = "XBOUNDARYX"
		mp := "multipart/form-data; boundary=" + bd
		big := make([]byte, limit+1)
		copy(big, good)
		for _, ep := range uploadEndpoints {
			file := func(data []byte) part { return part{ep.field, "photo.jpg", "image/jpeg", data} }
			cases := []struct {
				name, ctype string
				body        []byte
				want        int
			}{
				{"NoContentType", "", multipartBody(bd, true, file(good)), http.StatusUnsupportedMediaType},
				{"NoBoundary", "multipart/form-data", multipartBody(bd, true, file(good)), 400},
				{"WrongBoundary", "multipart/form-data; boundary=OTHER", multipartBody(bd, true, file(good)), 400},
				{"EmptyBody", mp, nil, 400},
				{"OnlyClosing", mp, []byte("--" + bd + "--\r\n"), 400},
				{"Truncated", mp, multipartBody(bd, true, file(good))[:200], 400},
				{"Unclosed", mp, multipartBody(bd, false, file(good)), 400},
				{"NoPartHeaders", mp, []byte("--" + bd + "\r\n\r\n" + string(good) + "\r\n--" + bd + "--\r\n"), 400},
				{"MissingFilePart", mp, multipartBody(bd, true, part{"caption", "", "", []byte("hello")}), 400},
				{"EmptyFile", mp, multipartBody(bd, true, file(nil)), 400},
				{"TwoFileParts", mp, multipartBody(bd, true, file(good), file(good)), 400},
				{"UnknownField", mp, multipartBody(bd, true, part{"admin", "", "", []byte("true")}, file(good)), 400},
				{"FileInTextField", mp, multipartBody(bd, true, part{"caption", "x.jpg", "image/jpeg", good}), 400},
				{"HugeTextField", mp, multipartBody(bd, true, part{"caption", "", "", bytes.Repeat([]byte("a"), 100<<10)}, file(good)), 0},
				{"OversizedFile", mp, multipartBody(bd, true, file(big)), http.StatusRequestEntityTooLarge},
				{"PNGBomb", mp, multipartBody(bd, true, file(pngBomb(t, 100_000, 100_000))), http.StatusRequestEntityTooLarge},
				{"PNGBombWide", mp, multipartBody(bd, true, file(pngBomb(t, 1<<20, 1))), http.StatusRequestEntityTooLarge},
				{"PNGBombMax", mp, multipartBody(bd, true, file(pngBomb(t, 1<<31-1, 1<<31-1))), 0}, // image/png: "dimension overflow"
				{"PNGZeroSize", mp, multipartBody(bd, true, file(pngBomb(t, 0, 0))), 400},
				{"JPEGBomb", mp, multipartBody(bd, true, file(jpegBomb(t, 65500, 65500))), http.StatusRequestEntityTooLarge},
				{"GIFBomb", mp, multipartBody(bd, true, file(gifBomb(t, 65535, 1))), http.StatusRequestEntityTooLarge},
				{"GIFFrameBomb", mp, multipartBody(bd, true, file(gifBomb(t, 1, 65535))), 0},
				{"WebPBomb", mp, multipartBody(bd, true, file(webpBomb())), http.StatusRequestEntityTooLarge},
				{"TextAsJPEG", mp, multipartBody(bd, true, file([]byte("just some text, not an image\n"))), http.StatusUnsupportedMediaType},
				{"HTMLAsJPEG", mp, multipartBody(bd, true, file([]byte("<html><script>alert(1)</script></html>"))), http.StatusUnsupportedMediaType},
				{"SVGAsImage", mp, multipartBody(bd, true, part{ep.field, "x.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)}), http.StatusUnsupportedMediaType},
				{"PDFAsJPEG", mp, multipartBody(bd, true, file([]byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"))), http.StatusUnsupportedMediaType},
				{"ZIPAsJPEG", mp, multipartBody(bd, true, file([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"))), http.StatusUnsupportedMediaType},
				{"ELFAsJPEG", mp, multipartBody(bd, true, file([]byte("\x7fELF\x02\x01\x01\x00"))), http.StatusUnsupportedMediaType},
				{"GIFPolyglot", mp, multipartBody(bd, true, file([]byte("GIF89a/*\x00\x00*/=alert(1)//"))), 400},
				{"JPEGHeaderOnly", mp, multipartBody(bd, true, file(good[:20])), 400},
				{"NULInFilename", mp, multipartBody(bd, true, part{ep.field, "a\x00.jpg", "image/jpeg", good}), 400},
				{"CRLFInFilename", mp, multipartBody(bd, true, part{ep.field, "a\r\nContent-Type: text/html", "image/jpeg", good}), 400},
			}
			if len(ep.text) > 0 {
				cases = append(cases, struct {
					name, ctype string
					body        []byte
					want        int
				}{"DuplicateTextField", mp, multipartBody(bd, true,
					part{"caption", "", "", []byte("first")}, part{"caption", "", "", []byte("second")}, file(good)), 400})
			}
			for _, tc := range cases {
				t.Run(ep.name+"/"+tc.name, func(t *testing.T) {
					before := fx.snapshot(t)
					res, raw := fx.sendMultipart(t, ep.path, tc.ctype, tc.body)
					fx.rejected(t, res, raw, tc.want, before)
				})
			}
			// The client's filename is never part of a stored key.
			t.Run(ep.name+"/TraversalFilename", func(t *testing.T) {
				res, raw := fx.sendMultipart(t, ep.path, mp, multipartBody(bd, true,
					part{ep.field, "../../../../etc/passwd", "image/jpeg", good}))
				if res.StatusCode >= 300 {
					t.Fatalf("%d %s", res.StatusCode, raw)
				}
				objs, err := fx.h.blobs.List(t.Context(), "")
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range objs {
					if !blob.ValidKey(o.Key) || strings.Contains(o.Key, "passwd") {
						t.Errorf("stored key %q", o.Key)
					}
				}
			})
		}
	})
}
