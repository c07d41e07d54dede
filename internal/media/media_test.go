package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"runtime"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func process(t testing.TB, p *Processor, data []byte, kind gram.ImageKind) (*gram.Image, error) {
	t.Helper()
	return p.Process(context.Background(), bytes.NewReader(data), kind)
}

func mustProcess(t testing.TB, p *Processor, data []byte, kind gram.ImageKind) *gram.Image {
	t.Helper()
	img, err := process(t, p, data, kind)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return img
}

func TestProcessSizes(t *testing.T) {
	tests := []struct {
		name         string
		data         []byte
		kind         gram.ImageKind
		wantW, wantH int
	}{
		{"post big landscape", encJPEG(t, quadImage(4000, 3000)), gram.ImagePost, 1080, 1350},
		{"post big portrait", encJPEG(t, quadImage(3000, 4000)), gram.ImagePost, 1080, 1350},
		{"post exact", encJPEG(t, quadImage(1080, 1350)), gram.ImagePost, 1080, 1350},
		{"post small square", encJPEG(t, quadImage(500, 500)), gram.ImagePost, 400, 500},
		{"post small wide", encPNG(t, quadImage(800, 200)), gram.ImagePost, 160, 200},
		{"post tiny", encPNG(t, quadImage(1, 1)), gram.ImagePost, 1, 1},
		{"post one-pixel strip", encPNG(t, quadImage(3000, 1)), gram.ImagePost, 1, 1},
		{"story big landscape", encJPEG(t, quadImage(4000, 3000)), gram.ImageStory, 1080, 1920},
		{"story big portrait", encJPEG(t, quadImage(3000, 6000)), gram.ImageStory, 1080, 1920},
		{"story small square", encPNG(t, quadImage(500, 500)), gram.ImageStory, 500, 889},
		{"story small tall", encPNG(t, quadImage(100, 1000)), gram.ImageStory, 563, 1000},
		{"story small 9:16", encGIF(t, quadImage(90, 160)), gram.ImageStory, 90, 160},
		{"avatar big", encJPEG(t, quadImage(4000, 3000)), gram.ImageAvatar, 320, 320},
		{"avatar small", encGIF(t, quadImage(200, 300)), gram.ImageAvatar, 200, 200},
		{"avatar webp lossy", webpGrey, gram.ImageAvatar, 8, 8},
		{"avatar webp lossless", webpTransparent, gram.ImageAvatar, 4, 4},
		{"avatar odd big gray", encPNG(t, image.NewGray(image.Rect(0, 0, 999, 777))), gram.ImageAvatar, 320, 320},
	}
	p := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustProcess(t, p, tt.data, tt.kind)
			if img.Width != tt.wantW || img.Height != tt.wantH {
				t.Errorf("size = %dx%d, want %dx%d", img.Width, img.Height, tt.wantW, tt.wantH)
			}
			if img.ContentType != "image/jpeg" || img.Ext != "jpg" {
				t.Errorf("type = %q/%q, want image/jpeg/jpg", img.ContentType, img.Ext)
			}
			b := decodeJPEG(t, img.Data).Bounds()
			if b.Dx() != img.Width || b.Dy() != img.Height {
				t.Errorf("encoded size = %v, reported %dx%d", b.Size(), img.Width, img.Height)
			}
		})
	}
}

// TestProcessOrientation stores a landscape quad image with each Exif
// orientation and checks which colour lands in each displayed quadrant.
// The expectations are derived by hand from the Exif definitions, not
// from the implementation.
func TestProcessOrientation(t *testing.T) {
	// Displayed quadrants: top-left, top-right, bottom-left, bottom-right.
	tests := []struct {
		o    int
		want [4]color.RGBA
	}{
		{1, [4]color.RGBA{red, green, blue, white}},
		{2, [4]color.RGBA{green, red, white, blue}}, // mirrored
		{3, [4]color.RGBA{white, blue, green, red}}, // 180
		{4, [4]color.RGBA{blue, white, red, green}}, // flipped
		{5, [4]color.RGBA{red, blue, green, white}}, // transposed
		{6, [4]color.RGBA{blue, red, white, green}}, // 90 clockwise
		{7, [4]color.RGBA{white, green, blue, red}}, // transversed
		{8, [4]color.RGBA{green, white, red, blue}}, // 90 counter-clockwise
	}
	src := encJPEG(t, quadImage(1600, 1200))
	p := New(Config{})
	for _, tt := range tests {
		for _, bo := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
			t.Run(bo.String()+"/"+string(rune('0'+tt.o)), func(t *testing.T) {
				img := mustProcess(t, p, withSegment(src, exifSegment(bo, tt.o, false)), gram.ImagePost)
				wantW, wantH := 960, 1200 // landscape: cropped, not upscaled
				if tt.o >= 5 {
					wantW, wantH = 1080, 1350 // portrait: cropped and scaled
				}
				if img.Width != wantW || img.Height != wantH {
					t.Fatalf("size = %dx%d, want %dx%d", img.Width, img.Height, wantW, wantH)
				}
				checkQuadrants(t, decodeJPEG(t, img.Data), tt.want)
			})
		}
	}
}

func checkQuadrants(t *testing.T, m image.Image, want [4]color.RGBA) {
	t.Helper()
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	pts := [4]image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}}
	for i, pt := range pts {
		if got := rgbaAt(t, m, pt.X, pt.Y); !near(got, want[i]) {
			t.Errorf("quadrant %d at %v = %v, want %v", i, pt, got, want[i])
		}
	}
}

func TestProcessStripsMetadata(t *testing.T) {
	jpg := withSegment(encJPEG(t, quadImage(64, 64)), exifSegment(binary.BigEndian, 1, true))
	pngText := withPNGChunk(encPNG(t, quadImage(64, 64)), "tEXt", []byte("Comment\x00GPS 51.5N secret"))
	tests := []struct {
		name string
		data []byte
	}{
		{"jpeg exif gps", jpg},
		{"png text", pngText},
		{"webp exif", webpGrey},
	}
	p := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustProcess(t, p, tt.data, gram.ImageAvatar).Data
			for _, s := range []string{"Exif", "GPS", "secret", "vips"} {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("output contains %q", s)
				}
			}
			if n := appSegments(out); n != 0 {
				t.Errorf("output has %d APPn segments, want 0", n)
			}
		})
	}
}

// appSegments counts APP0..APP15 segments before the first scan.
func appSegments(j []byte) int {
	n := 0
	for i := 2; i+4 <= len(j) && j[i] == 0xFF && j[i+1] != 0xDA; {
		if j[i+1] >= 0xE0 && j[i+1] <= 0xEF {
			n++
		}
		i += 2 + int(binary.BigEndian.Uint16(j[i+2:]))
	}
	return n
}

func TestProcessTransparency(t *testing.T) {
	transparent := encPNG(t, image.NewNRGBA(image.Rect(0, 0, 50, 50)))
	pal := image.NewPaletted(image.Rect(0, 0, 50, 50), color.Palette{color.Transparent, red})
	tests := []struct {
		name string
		data []byte
		kind gram.ImageKind
		at   image.Point
		want color.RGBA
	}{
		{"png transparent", transparent, gram.ImageAvatar, image.Pt(25, 25), white},
		{"gif transparent", encGIF(t, pal), gram.ImageAvatar, image.Pt(25, 25), white},
		{"webp transparent", webpTransparent, gram.ImageAvatar, image.Pt(2, 2), white},
		{"story picture", encPNG(t, quadImage(2000, 1000)), gram.ImageStory, image.Pt(270, 960), blue},
		{"story bar", encPNG(t, quadImage(2000, 1000)), gram.ImageStory, image.Pt(540, 100), black},
		{"story transparent picture", transparent, gram.ImageStory, image.Pt(25, 44), white},
		{"story bar small", transparent, gram.ImageStory, image.Pt(25, 85), black},
	}
	p := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeJPEG(t, mustProcess(t, p, tt.data, tt.kind).Data)
			if got := rgbaAt(t, m, tt.at.X, tt.at.Y); !near(got, tt.want) {
				t.Errorf("colour at %v = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestProcessErrors(t *testing.T) {
	jpg := encJPEG(t, quadImage(300, 300))
	// A build that decodes HEIF finds these bare ftyp boxes broken.
	heifCode, heicMsg, avifMsg := gram.EUNSUPPORTED, msgHEIC, msgAVIF
	if HEIFSupported() {
		heifCode, heicMsg, avifMsg = gram.EINVALID, msgBroken, msgBroken
	}
	tests := []struct {
		name     string
		cfg      Config
		data     []byte
		wantCode string
		wantMsg  string
	}{
		{"empty", Config{}, nil, gram.EINVALID, msgEmpty},
		{"text", Config{}, []byte("hello, this is not an image\n"), gram.EUNSUPPORTED, msgUnsupported},
		{"pdf", Config{}, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), gram.EUNSUPPORTED, msgUnsupported},
		{"svg", Config{}, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), gram.EUNSUPPORTED, msgUnsupported},
		{"heic", Config{}, ftyp("heic", "mif1", "heic"), heifCode, heicMsg},
		{"heif mif1", Config{}, ftyp("mif1", "heic"), heifCode, heicMsg},
		{"avif", Config{}, ftyp("avif", "mif1", "miaf"), heifCode, avifMsg},
		{"mp4", Config{}, ftyp("isom", "iso2", "mp41"), gram.EUNSUPPORTED, msgUnsupported},
		{"truncated jpeg header", Config{}, jpg[:100], gram.EINVALID, msgBroken},
		{"truncated jpeg data", Config{}, jpg[:len(jpg)/2], gram.EINVALID, msgBroken},
		{"truncated png", Config{}, encPNG(t, quadImage(300, 300))[:300], gram.EINVALID, msgBroken},
		{"jpeg magic only", Config{}, []byte{0xFF, 0xD8, 0xFF}, gram.EINVALID, msgBroken},
		{"zero width gif", Config{}, gifBomb(t, 0, 8), gram.EINVALID, msgBroken},
		{"over byte limit", Config{MaxBytes: 1000}, jpg, gram.ETOOLARGE, "The image is too large. The maximum is 1000 bytes."},
		{"over default byte limit", Config{}, make([]byte, 20<<20+1), gram.ETOOLARGE, "The image is too large. The maximum is 20 MB."},
		{"png bomb", Config{}, pngBomb(t, 60000, 60000), gram.ETOOLARGE, "The image dimensions are too large. The maximum is 40 megapixels."},
		{"png strip", Config{}, pngBomb(t, 40_000_000, 1), gram.ETOOLARGE, "The image dimensions are too large. The maximum is 40 megapixels."},
		{"jpeg bomb", Config{}, jpegBomb(t, 60000, 60000), gram.ETOOLARGE, "The image dimensions are too large. The maximum is 40 megapixels."},
		{"gif bomb", Config{}, gifBomb(t, 65535, 65535), gram.ETOOLARGE, "The image dimensions are too large. The maximum is 40 megapixels."},
		{"webp bomb", Config{}, webpBomb(16000, 16000), gram.ETOOLARGE, "The image dimensions are too large. The maximum is 40 megapixels."},
		{"over pixel limit", Config{MaxPixels: 300*300 - 1}, jpg, gram.ETOOLARGE, "The image dimensions are too large. The maximum is 89999 pixels."},
		{"webp header lies", Config{}, webpBomb(100, 100), gram.EINVALID, msgBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := process(t, New(tt.cfg), tt.data, gram.ImagePost)
			var e *gram.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *gram.Error", err)
			}
			if e.Code != tt.wantCode || e.Message != tt.wantMsg {
				t.Errorf("err = %q %q, want %q %q", e.Code, e.Message, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

// ftyp returns the start of an ISO-BMFF file with the given major brand
// and compatible brands.
func ftyp(major string, compat ...string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(16+4*len(compat)))
	b = append(b, "ftyp"+major+"\x00\x00\x00\x00"...)
	for _, c := range compat {
		b = append(b, c...)
	}
	return append(b, make([]byte, 64)...)
}

// TestProcessBombMemory checks that bombs are rejected from the header
// alone: the bytes allocated per rejection stay far below what decoding
// would need (a 60000x60000 RGBA buffer is 14 GB).
func TestProcessBombMemory(t *testing.T) {
	const limit = 10 << 20
	tests := []struct {
		name string
		data []byte
	}{
		{"png", pngBomb(t, 60000, 60000)},
		{"jpeg", jpegBomb(t, 60000, 60000)},
		{"gif", gifBomb(t, 65535, 65535)},
		{"webp", webpBomb(16000, 16000)},
	}
	p := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := process(t, p, tt.data, gram.ImagePost)
			runtime.ReadMemStats(&after)
			if gram.ErrorCode(err) != gram.ETOOLARGE {
				t.Fatalf("err = %v, want %s", err, gram.ETOOLARGE)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > limit {
				t.Errorf("allocated %d bytes, want < %d", n, limit)
			}
		})
	}
}

func TestProcessConcurrencyBound(t *testing.T) {
	data := encJPEG(t, quadImage(64, 64))
	p := New(Config{Concurrency: 1})
	p.sem <- struct{}{} // another decode holds the only slot

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Process(ctx, bytes.NewReader(data), gram.ImageAvatar); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("with the slot taken: err = %v, want %v", err, context.DeadlineExceeded)
	}
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := p.Process(canceled, bytes.NewReader(data), gram.ImageAvatar); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: err = %v, want %v", err, context.Canceled)
	}

	done := make(chan error, 1)
	go func() {
		_, err := p.Process(context.Background(), bytes.NewReader(data), gram.ImageAvatar)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Process finished (%v) while the slot was taken", err)
	case <-time.After(20 * time.Millisecond):
	}
	<-p.sem // the other decode finishes
	if err := <-done; err != nil {
		t.Fatalf("after release: %v", err)
	}
	if len(p.sem) != 0 {
		t.Errorf("slots in use after return = %d, want 0", len(p.sem))
	}
}

func TestProcessUnknownKind(t *testing.T) {
	_, err := process(t, New(Config{}), encJPEG(t, quadImage(8, 8)), gram.ImageKind(99))
	if gram.ErrorCode(err) != gram.EINTERNAL {
		t.Errorf("err = %v, want code %s", err, gram.EINTERNAL)
	}
}

func TestNewDefaults(t *testing.T) {
	p := New(Config{})
	want := Config{MaxBytes: 20 << 20, MaxPixels: 40_000_000, Concurrency: runtime.NumCPU(), Quality: 82,
		DecodeBudget: 256 << 20, MaxWait: 30 * time.Second}
	if p.cfg != want || cap(p.sem) != want.Concurrency {
		t.Errorf("cfg = %+v (sem %d), want %+v", p.cfg, cap(p.sem), want)
	}
}
