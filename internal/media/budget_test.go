package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// TestCostCoversAllocations checks the decode budget's estimate against
// what processing really allocates (every byte, freed or not, so an upper
// bound of what it holds at once), for each decoded type and each kind: it
// must not be lower, nor so much higher that uploads wait for nothing.
func TestCostCoversAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("processes 30 images of a megapixel or so")
	}
	const w, h = 1200, 1000
	images := []struct {
		name string
		data []byte
	}{
		{"jpeg 4:2:0", encJPEG(t, photoImage(w, h))},
		{"jpeg 4:2:0 rotated", withSegment(encJPEG(t, photoImage(h, w)), exifSegment(binary.BigEndian, 6, false))},
		{"jpeg gray", encJPEG(t, grayImage(w, h))},
		{"png rgb", encPNG(t, quadImage(w, h))},
		{"png nrgba", encPNG(t, fadeImage(w, h))},
		{"png gray", encPNG(t, grayImage(w, h))},
		{"png paletted", encPNG(t, palettedImage(w, h))},
		{"png 16-bit opaque", encPNG(t, image.NewRGBA64(image.Rect(0, 0, w, h)))},
		{"png 16-bit alpha", encPNG(t, image.NewNRGBA64(image.Rect(0, 0, w, h)))},
		{"gif", encGIF(t, palettedImage(w, h))},
	}
	p := New(Config{})
	for _, im := range images {
		for _, kind := range []gram.ImageKind{gram.ImagePost, gram.ImageStory, gram.ImageAvatar} {
			src, err := openSource(bytes.NewReader(im.data), p.cfg.MaxBytes)
			if err != nil {
				t.Fatal(err)
			}
			f, cfg, err := p.inspect(src)
			if err != nil {
				t.Fatalf("%s: %v", im.name, err)
			}
			est := cost(src, f, cfg, targets[kind])
			got := allocated(t, p, im.data, kind)
			t.Logf("%-20s kind %d: estimate %5.1f MB, allocated %5.1f MB", im.name, kind, mb(est), mb(got))
			if est < got || est > 2*got+4<<20 {
				t.Errorf("%s kind %d: estimate %.1f MB, allocated %.1f MB", im.name, kind, mb(est), mb(got))
			}
		}
	}
}

func allocated(t *testing.T, p *Processor, data []byte, kind gram.ImageKind) int64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := process(t, p, data, kind); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func grayImage(w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(i % 251)
	}
	return m
}

// fadeImage has partly transparent pixels, so it stays NRGBA.
func fadeImage(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+3] = 200, uint8(i/4%256)
	}
	return m
}

func palettedImage(w, h int) *image.Paletted {
	m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{red, green, blue, white})
	for i := range m.Pix {
		m.Pix[i] = uint8(i / 7 % 4)
	}
	return m
}

func TestReadJPEGHeader(t *testing.T) {
	jpg := encJPEG(t, photoImage(64, 48))
	withExif := withSegment(jpg, exifSegment(binary.LittleEndian, 6, true))
	progressive := bytes.Replace(jpg, []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1)
	sub420 := func(progressive bool, o int) jpegHeader {
		return jpegHeader{frame: true, progressive: progressive, h: []int{2, 1, 1}, v: []int{2, 1, 1}, orientation: o}
	}
	tests := []struct {
		name string
		data []byte
		want jpegHeader
	}{
		{"baseline 4:2:0", jpg, sub420(false, 1)},
		{"with an Exif orientation", withExif, sub420(false, 6)},
		{"progressive", progressive, sub420(true, 1)},
		{"gray", encJPEG(t, grayImage(16, 16)), jpegHeader{frame: true, h: []int{1}, v: []int{1}, orientation: 1}},
		{"truncated frame", jpg[:150], jpegHeader{orientation: 1}},
		{"scan first", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, jpegHeader{orientation: 1}},
		{"zero sampling factor", bytes.Replace(jpg, []byte{1, 0x22}, []byte{1, 0x20}, 1), jpegHeader{orientation: 1}},
		{"garbage", []byte{0xFF, 0xD8, 0x12, 0x34}, jpegHeader{orientation: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readJPEGHeader(bufio.NewReader(bytes.NewReader(tt.data)))
			if got.frame != tt.want.frame || got.progressive != tt.want.progressive || got.orientation != tt.want.orientation ||
				!slices.Equal(got.h, tt.want.h) || !slices.Equal(got.v, tt.want.v) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadPNGHeader(t *testing.T) {
	opaque := encPNG(t, quadImage(8, 8))
	interlaced := bytes.Clone(opaque)
	interlaced[28] = 1 // the CRC is not checked here
	trns := append(bytes.Clone(opaque[:33]), append([]byte{0, 0, 0, 6, 't', 'R', 'N', 'S', 0, 1, 0, 2, 0, 3, 0, 0, 0, 0}, opaque[33:]...)...)
	tests := []struct {
		name string
		data []byte
		want pngHeader
	}{
		{"plain", opaque, pngHeader{}},
		{"interlaced", interlaced, pngHeader{interlaced: true}},
		{"tRNS", trns, pngHeader{transparency: true}},
		{"truncated", opaque[:20], pngHeader{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readPNGHeader(bufio.NewReader(bytes.NewReader(tt.data))); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestProcessDecodeBudget checks that an upload waits for its share of
// the budget, is refused as busy after MaxWait, and gives it back.
func TestProcessDecodeBudget(t *testing.T) {
	data := encJPEG(t, quadImage(64, 64))
	p := New(Config{DecodeBudget: 1 << 20, MaxWait: 30 * time.Millisecond})
	if err := p.budget.Acquire(context.Background(), 1<<20); err != nil { // another decode holds it all
		t.Fatal(err)
	}
	_, err := process(t, p, data, gram.ImageAvatar)
	var e *gram.Error
	if !errors.As(err, &e) || e.Code != gram.EUNAVAILABLE || e.Message != msgBusy || e.RetryAfter != 5*time.Second {
		t.Fatalf("with the budget spent: err = %#v, want busy", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := p.Process(ctx, bytes.NewReader(data), gram.ImageAvatar); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ctx ending first: err = %v, want %v", err, context.DeadlineExceeded)
	}
	p.budget.Release(1 << 20)
	if _, err := process(t, p, data, gram.ImageAvatar); err != nil {
		t.Fatalf("with the budget free: %v", err)
	}
	if !p.budget.TryAcquire(1 << 20) {
		t.Error("the budget was not given back")
	}
}
