//go:build vips

package media

import (
	"errors"
	"image"
	"io"
	"sync"

	"github.com/davidbyttow/govips/v2/vips"
)

// libvips (with libheif) decodes HEIC and AVIF in this build. It runs
// single-threaded with its operation cache off: the Processor's slots and
// decode budget bound the work, and uploads are never worth caching.
func init() {
	decodeConfigFuncs[formatHEIC], decodeConfigFuncs[formatAVIF] = heifConfig, heifConfig
	decodeFuncs[formatHEIC], decodeFuncs[formatAVIF] = heifDecode, heifDecode
	heifProfile = heifICC
}

var startVips = sync.OnceFunc(func() {
	vips.LoggingSettings(func(string, vips.LogLevel, string) {}, vips.LogLevelError)
	vips.Startup(&vips.Config{ConcurrencyLevel: 1, MaxCacheMem: 0, MaxCacheSize: 0, MaxCacheFiles: 0})
})

var errNotHEIF = errors.New("media: not a HEIF image")

// loadHEIF opens a HEIF container; libvips reads its header only, the
// pixels are decoded when they are asked for.
func loadHEIF(r io.Reader) (*vips.ImageRef, error) {
	startVips()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	m, err := vips.LoadImageFromBuffer(data, vips.NewImportParams())
	if err != nil {
		return nil, err
	}
	if f := m.Format(); f != vips.ImageTypeHEIF && f != vips.ImageTypeAVIF {
		m.Close()
		return nil, errNotHEIF
	}
	return m, nil
}

// heifConfig reads the dimensions, with libheif's transformations
// (rotation, mirroring) applied, as the decoded image has them.
func heifConfig(r io.Reader) (image.Config, error) {
	m, err := loadHEIF(r)
	if err != nil {
		return image.Config{}, err
	}
	defer m.Close()
	return image.Config{Width: m.Width(), Height: m.Height()}, nil
}

// heifDecode decodes to 8-bit RGBA, flattening any alpha onto white as
// flatten does for the other formats.
func heifDecode(r io.Reader) (image.Image, error) {
	m, err := loadHEIF(r)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if err := m.ToColorSpace(vips.InterpretationSRGB); err != nil {
		return nil, err
	}
	if m.HasAlpha() {
		if err := m.Flatten(&vips.Color{R: 255, G: 255, B: 255}); err != nil {
			return nil, err
		}
	}
	if err := m.Cast(vips.BandFormatUchar); err != nil {
		return nil, err
	}
	w, h := m.Width(), m.Height()
	pix, err := m.ToBytes()
	if err != nil || m.Bands() != 3 || len(pix) != 3*w*h {
		return nil, errNotHEIF
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for i, j := 0, 0; i < len(pix); i, j = i+3, j+4 {
		out.Pix[j], out.Pix[j+1], out.Pix[j+2], out.Pix[j+3] = pix[i], pix[i+1], pix[i+2], 255
	}
	return out, nil
}

// heifICC returns the container's ICC profile, or nil.
func heifICC(data []byte) []byte {
	startVips()
	m, err := vips.LoadImageFromBuffer(data, vips.NewImportParams())
	if err != nil {
		return nil
	}
	defer m.Close()
	return m.GetICCProfile()
}
