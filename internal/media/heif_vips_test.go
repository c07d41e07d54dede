//go:build vips

package media

import (
	"image"
	"image/color"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"

	"github.com/instamern/gram/internal/gram"
)

// heifOf encodes the PNG data as HEIC (HEVC) or AVIF (AV1) with libvips,
// keeping its ICC profile: what a phone uploads.
func heifOf(t *testing.T, png []byte, av1 bool) []byte {
	t.Helper()
	startVips()
	m, err := vips.NewImageFromBuffer(png)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var out []byte
	if av1 {
		out, _, err = m.ExportAvif(&vips.AvifExportParams{Quality: 90, Lossless: true, Speed: 8})
	} else {
		out, _, err = m.ExportHeif(&vips.HeifExportParams{Quality: 90, Lossless: true})
	}
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return out
}

func TestProcessHEIF(t *testing.T) {
	if !HEIFSupported() {
		t.Fatal("a vips build must decode HEIF")
	}
	quad := encPNG(t, quadImage(400, 300))
	in := color.RGBA{234, 51, 35, 255}
	flat := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{in.R, in.G, in.B, in.A})
	}
	p3 := withPNGChunk(encPNG(t, flat), "iCCP", append([]byte("P3\x00\x00"), zlibBytes(iccProfileBytes(p3Colorants, srgbPara))...))
	p := New(Config{})
	for _, av1 := range []bool{false, true} {
		name := map[bool]string{false: "heic", true: "avif"}[av1]
		t.Run(name+"/quadrants", func(t *testing.T) {
			data := heifOf(t, quad, av1)
			if f := sniff(data); f != map[bool]format{false: formatHEIC, true: formatAVIF}[av1] {
				t.Fatalf("sniffed as %v", f)
			}
			img := mustProcess(t, p, data, gram.ImagePost)
			if img.Width != 240 || img.Height != 300 {
				t.Fatalf("size %dx%d, want 240x300 (4:5 crop of 400x300)", img.Width, img.Height)
			}
			checkQuadrants(t, decodeJPEG(t, img.Data), [4]color.RGBA{red, green, blue, white})
		})
		t.Run(name+"/display p3", func(t *testing.T) {
			img := mustProcess(t, p, heifOf(t, p3, av1), gram.ImagePost)
			if got, want := rgbaAt(t, decodeJPEG(t, img.Data), 32, 32), refP3ToSRGB(in); !within(got, want, 8) {
				t.Errorf("centre %v, want %v", got, want)
			}
		})
	}
	t.Run("over pixel limit", func(t *testing.T) {
		_, err := process(t, New(Config{MaxPixels: 400*300 - 1}), heifOf(t, quad, false), gram.ImagePost)
		if e, ok := err.(*gram.Error); !ok || e.Code != gram.ETOOLARGE {
			t.Errorf("err = %v, want ETOOLARGE", err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		data := heifOf(t, quad, false)
		_, err := process(t, p, data[:len(data)/2], gram.ImagePost)
		if e, ok := err.(*gram.Error); !ok || e.Code != gram.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
}
