// Package media implements gram.ImageProcessor with the standard library
// and golang.org/x/image: it turns an untrusted upload into a JPEG variant.
//
// Pipeline: refuse an upload over MaxBytes; sniff the type from magic
// bytes (JPEG, PNG, WebP, GIF first frame; HEIC/HEIF/AVIF only in a
// build with the vips tag, see heif.go; everything else is rejected); read
// only the header and enforce MaxPixels (and at most 32768 pixels a
// side); estimate the memory the rest takes and wait
// for that share of the decode budget and for a decode slot; read the
// upload into memory; reject a JPEG of more than 100 scans; decode; apply
// the JPEG Exif orientation (orientation in PNG eXIf or WebP EXIF chunks is
// ignored, as browsers mostly do); flatten transparency onto white; crop
// and resize; convert the colours of an image with an embedded
// wide-gamut ICC profile (Display P3 and the like) to sRGB (icc.go); encode
// as baseline JPEG, which drops all metadata (Exif, GPS, ICC, text chunks).
//
// Geometry, computed on the correctly oriented image:
//
//   - Post (1080x1350) and avatar (320x320), cover: the largest centred
//     region with the target aspect ratio is cropped and scaled down to the
//     target. If that region is smaller than the target it is output as is,
//     never upscaled: a 500x500 source gives a 400x500 post and a
//     200x200 avatar.
//   - Story (1080x1920), contain: the whole image is scaled down to fit and
//     centred on an opaque black 1080x1920 canvas. A source that already
//     fits (at most 1080x1920) is not scaled; its canvas is the smallest
//     9:16 rectangle that holds it (a 500x500 source gives 500x889).
//
// The budget and the slots bound decoding, resizing and encoding, where
// memory and CPU go: a 40 MP image decodes to 60-160 MB, and resizing it
// takes up to 140 MB more. An upload given as a file (an io.ReaderAt that
// is also an io.Seeker, such as *os.File) stays on disk until its turn, so
// uploads waiting cost no memory. Any other reader is read into memory
// first, outside the budget: the caller bounds that with MaxBytes and its
// own limits. A slow client cannot hold a slot either way.
package media

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/jpeg"
	"io"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/instamern/gram/internal/gram"
)

// Config configures a Processor. Zero fields take the defaults below.
type Config struct {
	MaxBytes    int64 // largest accepted upload; default 20 MiB
	MaxPixels   int   // largest accepted width*height; default 40_000_000
	Concurrency int   // decodes in flight at once; default runtime.NumCPU()
	Quality     int   // JPEG quality 1..100; default 82
	// DecodeBudget bounds the estimated memory of the decodes in flight
	// together; default 256 MiB. An image estimated above it is decoded
	// alone.
	DecodeBudget int64
	// MaxWait is how long an upload waits for the budget and a slot
	// before it is refused as busy (EUNAVAILABLE); default 30 s.
	MaxWait time.Duration
}

// Defaults for Config's zero fields.
const (
	DefaultMaxBytes     = 20 << 20
	DefaultMaxPixels    = 40_000_000
	DefaultQuality      = 82
	DefaultDecodeBudget = 256 << 20
	DefaultMaxWait      = 30 * time.Second
)

// Processor is the image pipeline. It is safe for concurrent use.
type Processor struct {
	cfg    Config
	sem    chan struct{}       // one token per decode in flight
	budget *semaphore.Weighted // DecodeBudget bytes
}

var _ gram.ImageProcessor = (*Processor)(nil)

// New returns a Processor for cfg, filling zero fields with defaults.
func New(cfg Config) *Processor {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.NumCPU()
	}
	if cfg.Quality <= 0 || cfg.Quality > 100 {
		cfg.Quality = DefaultQuality
	}
	if cfg.DecodeBudget <= 0 {
		cfg.DecodeBudget = DefaultDecodeBudget
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	return &Processor{cfg: cfg, sem: make(chan struct{}, cfg.Concurrency), budget: semaphore.NewWeighted(cfg.DecodeBudget)}
}

// Process implements gram.ImageProcessor. The result is always a JPEG
// ("image/jpeg", "jpg"). Errors are *gram.Error, except that the context's
// error is returned as is if ctx ends while waiting or working. An upload
// that waits MaxWait for its turn is refused as busy.
func (p *Processor) Process(ctx context.Context, r io.Reader, kind gram.ImageKind) (*gram.Image, error) {
	t, ok := targets[kind]
	if !ok {
		return nil, gram.Errorf(gram.EINTERNAL, "Unknown image kind.")
	}
	src, err := openSource(r, p.cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	f, cfg, err := p.inspect(src)
	if err != nil {
		return nil, err
	}
	release, err := p.acquire(ctx, cost(src, f, cfg, t))
	if err != nil {
		return nil, err
	}
	defer release()
	data, err := src.bytes()
	if err != nil {
		return nil, err
	}
	if err := checkScans(data, f); err != nil {
		return nil, err
	}
	return p.render(ctx, data, f, cfg, t)
}

// inspect sniffs src and vets its header; nothing big is allocated yet.
func (p *Processor) inspect(src *source) (format, image.Config, error) {
	f := sniff(src.head())
	switch {
	case f == formatHEIC && !HEIFSupported():
		return f, image.Config{}, errHEIC()
	case f == formatAVIF && !HEIFSupported():
		return f, image.Config{}, errAVIF()
	case f == formatUnknown:
		return f, image.Config{}, errUnsupported()
	}
	cfg, err := checkHeader(src.reader(), f, p.cfg.MaxPixels)
	return f, cfg, err
}

// render decodes, orients, resizes and encodes. The context is checked
// between the expensive steps, which themselves cannot be interrupted.
func (p *Processor) render(ctx context.Context, data []byte, f format, cfg image.Config, t target) (*gram.Image, error) {
	m, err := decode(data, f, cfg)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := 1
	if f == formatJPEG {
		o = jpegOrientation(data)
	}
	var out *image.RGBA
	// Decoders can return unusual images (odd bounds, palettes); a panic
	// on one must cost a request, not the process.
	if err := guard(func() error {
		out = transform(flatten(m), o, t)
		if c := parseICC(iccProfile(data, f)); c != nil {
			c.apply(out.Pix) // after resizing: far fewer pixels
		}
		return nil
	}); err != nil {
		return nil, errBroken()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.encode(out)
}

// transform crops and scales m as planned for t on its displayed
// (oriented) geometry. It resizes in stored orientation and rotates only
// the small result, which is far cheaper than rotating the full source.
func transform(m image.Image, o int, t target) *image.RGBA {
	b := m.Bounds()
	dw, dh := orientedSize(o, b.Dx(), b.Dy())
	pl := planFor(t, dw, dh)
	crop := sourceRect(o, b.Dx(), b.Dy(), pl.crop).Add(b.Min)
	sw, sh := orientedSize(o, pl.size.X, pl.size.Y) // size in stored orientation
	small := resize(m, crop, image.Pt(sw, sh))
	if o == 1 && pl.size == pl.canvas {
		return small
	}
	canvas := image.NewRGBA(image.Rectangle{Max: pl.canvas})
	if pl.size != pl.canvas { // letterbox bars are opaque black
		draw.Draw(canvas, canvas.Rect, image.Black, image.Point{}, draw.Src)
	}
	off := pl.canvas.Sub(pl.size).Div(2)
	drawOriented(canvas, off, small, o)
	return canvas
}

// encode writes m as a baseline JPEG. Go's encoder writes no APPn
// segments, so no metadata from the upload survives.
func (p *Processor) encode(m *image.RGBA) (*gram.Image, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: p.cfg.Quality}); err != nil {
		return nil, gram.Errorf(gram.EINTERNAL, "The image could not be encoded.")
	}
	return &gram.Image{
		Data:        buf.Bytes(),
		ContentType: "image/jpeg",
		Ext:         "jpg",
		Width:       m.Rect.Dx(),
		Height:      m.Rect.Dy(),
	}, nil
}
