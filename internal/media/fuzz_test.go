package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// FuzzProcess feeds arbitrary bytes through the whole pipeline: it must
// never panic, and every error must be a *gram.Error or a context error.
// Limits are lowered so that the fuzzer explores parsers, not big buffers.
func FuzzProcess(f *testing.F) {
	pal := image.NewPaletted(image.Rect(0, 0, 6, 4), color.Palette{color.Transparent, red, blue})
	pal.Pix[3] = 1
	for _, seed := range [][]byte{
		encJPEG(f, quadImage(16, 12)),
		withSegment(encJPEG(f, quadImage(12, 16)), exifSegment(binary.BigEndian, 6, true)),
		encJPEG(f, image.NewGray(image.Rect(0, 0, 5, 3))),
		encPNG(f, quadImage(9, 7)),
		encPNG(f, image.NewNRGBA(image.Rect(0, 0, 3, 3))),
		encGIF(f, pal),
		webpGrey,
		webpTransparent,
		withSegment(encJPEG(f, quadImage(8, 8)), iccSegments(iccProfileBytes(p3Colorants, srgbPara), 1000)[0]),
		ftyp("heic", "mif1"),
	} {
		f.Add(seed, uint8(gram.ImagePost))
	}
	p := New(Config{MaxBytes: 1 << 20, MaxPixels: 1 << 20, Concurrency: 1})
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		k := gram.ImageKind(kind%3 + 1)
		img, err := p.Process(context.Background(), bytes.NewReader(data), k)
		var e *gram.Error
		switch {
		case err == nil && (img == nil || img.Width < 1 || img.Height < 1 || len(img.Data) == 0):
			t.Fatalf("bad result %+v", img)
		case err != nil && !errors.As(err, &e) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
			t.Fatalf("error %T %v is not a *gram.Error", err, err)
		}
	})
}
