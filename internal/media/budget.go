package media

import (
	"context"
	"image"
	"image/color"
	"time"
)

// The decode budget: every upload being decoded is charged what it is
// estimated to hold at its peak, and the sum stays under
// Config.DecodeBudget. The estimate errs on the large side; a test checks
// it against what the pipeline allocates.

// decoderSlack covers the decoders' and encoder's own state: Huffman and
// quantisation tables, PNG row buffers (two rows of at most 32768 pixels
// of 8 bytes), the zlib window.
const decoderSlack = 1 << 20

// footprint is what a decoded image means for memory.
type footprint struct {
	decoded int64 // bytes the decoder (and flatten, if it copies) hold
	// shrink is 0 when resize cannot box-shrink the decoded type, so the
	// kernel reads the whole crop; else the multiple resize rounds the
	// shrink factor down to (chroma subsampling).
	shrink int
	ycbcr  bool // resize converts the shrunk image to RGBA first
}

// cost estimates the bytes that turning src (format f, header cfg) into
// t holds at its peak: the file read into memory, the decoded image, the
// buffers of the resize and the output.
func cost(src *source, f format, cfg image.Config, t target) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	base := src.size + decoderSlack
	switch f {
	case formatJPEG:
		hd := readJPEGHeader(src.reader())
		if !hd.frame { // then the orientation may be anything too
			fp := worstFrame.footprint(cfg.Width, cfg.Height)
			return base + fp.decoded + max(renderCost(t, cfg.Width, cfg.Height, 1, fp), renderCost(t, cfg.Width, cfg.Height, 6, fp))
		}
		fp := hd.footprint(cfg.Width, cfg.Height)
		return base + fp.decoded + renderCost(t, cfg.Width, cfg.Height, hd.orientation, fp)
	case formatGIF: // paletted, which resize cannot box-shrink
		return base + px + renderCost(t, cfg.Width, cfg.Height, 1, footprint{})
	case formatWebP:
		fp := webpFootprint(cfg.ColorModel, px)
		return base + fp.decoded + renderCost(t, cfg.Width, cfg.Height, 1, fp)
	case formatHEIC, formatAVIF:
		// libvips's decoded image (up to 4 bytes a pixel), the RGB copy
		// out of it and the RGBA image built from that copy.
		fp := footprint{decoded: 11 * px, shrink: 1}
		return base + fp.decoded + renderCost(t, cfg.Width, cfg.Height, 1, fp)
	}
	fp := pngFootprint(cfg.ColorModel, readPNGHeader(src.reader()), px)
	return base + fp.decoded + renderCost(t, cfg.Width, cfg.Height, 1, fp)
}

// webpFootprint: lossless decodes to ARGB words, then to NRGBA; lossy to
// 4:2:0 YCbCr, with a full-resolution alpha plane when it has one.
func webpFootprint(m color.Model, px int64) footprint {
	if m == color.NRGBAModel {
		return footprint{decoded: 8 * px, shrink: 1}
	}
	return footprint{decoded: 5 * px / 2, shrink: 2, ycbcr: true}
}

// pngFootprint follows the decoder: 8-bit gray and RGB with a tRNS chunk
// decode to NRGBA, 16-bit ones to NRGBA64, which flatten copies to RGBA
// unless it is opaque, and then resize cannot box-shrink it; nor can it
// box-shrink paletted, Gray16 and RGBA64 images.
func pngFootprint(m color.Model, hd pngHeader, px int64) footprint {
	bpp, fp := int64(4), footprint{shrink: 1}
	_, paletted := m.(color.Palette)
	switch {
	case paletted:
		bpp, fp.shrink = 1, 0
	case m == color.GrayModel && !hd.transparency:
		bpp = 1
	case m == color.Gray16Model && !hd.transparency:
		bpp, fp.shrink = 2, 0
	case m == color.RGBA64Model && !hd.transparency:
		bpp, fp.shrink = 8, 0
	case m == color.Gray16Model, m == color.RGBA64Model, m == color.NRGBA64Model:
		bpp, fp.shrink, fp.decoded = 8, 0, 4*px
	}
	fp.decoded += bpp * px
	if hd.interlaced {
		fp.decoded += bpp * px
	}
	return fp
}

// footprint is the decoder's peak for a w x h frame: one byte a sample
// of each component (at its sampling, whole MCUs), four more a sample for
// a progressive file's coefficients, and for CMYK the converted image.
// Resize box-shrinks YCbCr by multiples of its subsampling, and cannot
// box-shrink CMYK.
func (hd jpegHeader) footprint(w, h int) footprint {
	hmax, vmax := 1, 1
	for i := range hd.h {
		hmax, vmax = max(hmax, hd.h[i]), max(vmax, hd.v[i])
	}
	mw, mh := divCeil(w, 8*hmax)*8, divCeil(h, 8*vmax)*8 // MCUs, in samples of a 1x1 component
	var samples int64
	for i := range hd.h {
		samples += int64(mw*hd.h[i]) * int64(mh*hd.v[i])
	}
	fp := footprint{decoded: samples, shrink: max(hmax, vmax), ycbcr: len(hd.h) == 3}
	if hd.progressive {
		fp.decoded += 4 * samples
	}
	switch len(hd.h) {
	case 1:
		fp.shrink = 1
	case 4:
		fp.decoded += 4 * int64(w) * int64(h)
		fp.shrink = 0
	}
	return fp
}

// renderCost is what transform and encode hold for a w x h source in
// orientation o: the box-shrunk intermediate, its RGBA copy when it is
// YCbCr, x/image/draw's kernel buffer (a [4]float64 for each output column
// and intermediate row), the output, the canvas and the encoded JPEG.
func renderCost(t target, w, h, o int, fp footprint) int64 {
	transposed := o >= 5
	if transposed {
		w, h = h, w
	}
	pl := planFor(t, w, h)
	crop, sz := pl.crop.Size(), pl.size
	if transposed { // resize works in stored orientation
		crop, sz = image.Pt(crop.Y, crop.X), image.Pt(sz.Y, sz.X)
	}
	n := 10 * area(pl.canvas) // output and canvas RGBA, and the encoded bytes as they grow
	in := crop
	if f := shrinkFactor(crop, sz); fp.shrink > 0 && f-f%fp.shrink >= 2 {
		in = crop.Div(f - f%fp.shrink)
		n += 4 * area(in)
	}
	if in != sz {
		if fp.ycbcr {
			n += 4 * area(in)
		}
		n += 32 * int64(sz.X) * int64(in.Y)
	}
	return n
}

func area(p image.Point) int64 { return int64(p.X) * int64(p.Y) }

// acquire charges n bytes to the decode budget (all of it, for an image
// that needs more) and takes a decode slot. It gives up when ctx ends,
// returning ctx's error, or after MaxWait, returning errBusy.
func (p *Processor) acquire(ctx context.Context, n int64) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n = min(n, p.cfg.DecodeBudget)
	wait, cancel := context.WithTimeout(ctx, p.cfg.MaxWait)
	defer cancel()
	if err := p.budget.Acquire(wait, n); err != nil {
		return nil, waitError(ctx)
	}
	select {
	case p.sem <- struct{}{}:
		return func() { <-p.sem; p.budget.Release(n) }, nil
	case <-wait.Done():
		p.budget.Release(n)
		return nil, waitError(ctx)
	}
}

// waitError is why a wait ended: ctx's end, else the wait's own limit.
func waitError(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return errBusy()
}

// busyRetry is the Retry-After of errBusy: about what one large photo takes.
const busyRetry = 5 * time.Second
