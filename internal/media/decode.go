package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// maxSide bounds each dimension independently of the pixel limit, so a
// 40_000_000x1 strip cannot slip through and produce degenerate geometry.
const maxSide = 1 << 15

// readLimited reads all of r, failing once more than limit bytes arrive.
// Reading one byte past the limit tells "exactly at the limit" apart from
// "over it" without buffering the excess.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, err
	case err != nil:
		return nil, errUnreadable()
	case int64(len(data)) > limit:
		return nil, errTooManyBytes(limit)
	case len(data) == 0:
		return nil, errEmpty()
	}
	return data, nil
}

// decodeConfigFuncs and decodeFuncs hold the per-format entry points. They are
// called directly rather than through image.Decode so that the accepted
// formats do not depend on which packages happen to register themselves.
var (
	decodeConfigFuncs = map[format]func(io.Reader) (image.Config, error){
		formatJPEG: jpeg.DecodeConfig,
		formatPNG:  png.DecodeConfig,
		formatGIF:  gif.DecodeConfig,
		formatWebP: webp.DecodeConfig,
	}
	decodeFuncs = map[format]func(io.Reader) (image.Image, error){
		formatJPEG: jpeg.Decode,
		formatPNG:  png.Decode,
		formatGIF:  gif.Decode, // first frame only
		formatWebP: webp.Decode,
	}
)

// checkHeader reads r only as far as the image's dimensions and enforces
// the pixel limit, so a decompression bomb (a tiny file declaring huge
// dimensions) is rejected before any pixel buffer is allocated.
func checkHeader(r io.Reader, f format, maxPixels int) (image.Config, error) {
	var cfg image.Config
	err := guard(func() (err error) {
		cfg, err = decodeConfigFuncs[f](r)
		return err
	})
	switch {
	case err != nil:
		return cfg, decodeError(err)
	case cfg.Width <= 0 || cfg.Height <= 0:
		return cfg, errBroken()
	case cfg.Width > maxSide || cfg.Height > maxSide:
		return cfg, errTooManyPixels(maxPixels)
	case cfg.Width*cfg.Height > maxPixels:
		return cfg, errTooManyPixels(maxPixels)
	}
	return cfg, nil
}

// checkScans rejects a JPEG with absurdly many scans, a CPU bomb (see
// maxScans). Unlike checkHeader it needs the whole file.
func checkScans(data []byte, f format) error {
	if f == formatJPEG && jpegScans(data, maxScans) > maxScans {
		return errBroken()
	}
	return nil
}

// decode fully decodes data, which checkHeader and checkScans have vetted.
// The decoded image must fit the header's dimensions: a file whose frame
// disagrees with its header could otherwise evade the pixel limit. (A GIF's
// first frame may legitimately be smaller than its logical screen.)
func decode(data []byte, f format, cfg image.Config) (image.Image, error) {
	var m image.Image
	err := guard(func() (err error) {
		m, err = decodeFuncs[f](bytes.NewReader(data))
		return err
	})
	if err != nil {
		return nil, decodeError(err)
	}
	if b := m.Bounds(); b.Empty() || b.Dx() > cfg.Width || b.Dy() > cfg.Height {
		return nil, errBroken()
	}
	return m, nil
}

// guard runs fn, turning a panic in a decoder into an ordinary error:
// decoders are complex parsers of hostile input and one bug must not take
// the server down.
func guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("media: decoder panic: %v", p)
		}
	}()
	return fn()
}

// decodeError maps a decoder error to a client-facing *gram.Error. Valid
// files using features the standard decoders lack (12-bit JPEG, arithmetic
// coding) are "unsupported"; everything else is a broken file.
func decodeError(err error) error {
	var je jpeg.UnsupportedError
	var pe png.UnsupportedError
	if errors.As(err, &je) || errors.As(err, &pe) {
		return errUnsupported()
	}
	return errBroken()
}
