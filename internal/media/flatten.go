package media

import (
	"image"
	"image/color"
	"image/draw"
)

// flatten returns m with any transparency composited onto white, because
// JPEG has no alpha and a transparent logo on black looks broken. Opaque
// images are returned as they are. The decoded image is ours, so the
// common types are flattened in place to avoid a second full-size buffer.
func flatten(m image.Image) image.Image {
	if o, ok := m.(interface{ Opaque() bool }); ok && o.Opaque() {
		return m
	}
	switch m := m.(type) {
	case *image.NRGBA:
		flattenNRGBA(m.Pix)
		return m
	case *image.Paletted:
		m.Palette = flattenPalette(m.Palette)
		return m
	case *image.NYCbCrA:
		flattenNYCbCrA(m)
		return &m.YCbCr
	}
	dst := image.NewRGBA(m.Bounds())
	draw.Draw(dst, dst.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, m, m.Bounds().Min, draw.Over)
	return dst
}

// overWhite blends an 8-bit channel value c with coverage a onto white.
func overWhite(c, a uint8) uint8 {
	return uint8((uint32(c)*uint32(a) + 255*(255-uint32(a)) + 127) / 255)
}

func flattenNRGBA(pix []uint8) {
	for i := 0; i+3 < len(pix); i += 4 {
		a := pix[i+3]
		pix[i+0] = overWhite(pix[i+0], a)
		pix[i+1] = overWhite(pix[i+1], a)
		pix[i+2] = overWhite(pix[i+2], a)
		pix[i+3] = 0xFF
	}
}

// flattenPalette returns a copy of p with every entry made opaque on
// white; the copy keeps a palette shared with other frames untouched.
func flattenPalette(p color.Palette) color.Palette {
	out := make(color.Palette, len(p))
	for i, c := range p {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		out[i] = color.NRGBA{overWhite(n.R, n.A), overWhite(n.G, n.A), overWhite(n.B, n.A), 0xFF}
	}
	return out
}

// flattenNYCbCrA blends in YCbCr space, which is an affine function of RGB
// so blending commutes with the conversion: white is Y=255, Cb=Cr=128.
// Chroma is subsampled, so each chroma sample uses the alpha of the pixel
// it is stored for.
func flattenNYCbCrA(m *image.NYCbCrA) {
	r := m.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			a := m.A[m.AOffset(x, y)]
			yi := m.YOffset(x, y)
			m.Y[yi] = overWhite(m.Y[yi], a)
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ci := m.COffset(x, y)
			a := uint32(m.A[m.AOffset(x, y)])
			// Each chroma sample is visited once per pixel it covers; only
			// the first (top-left) visit blends it.
			if x > r.Min.X && m.COffset(x-1, y) == ci || y > r.Min.Y && m.COffset(x, y-1) == ci {
				continue
			}
			m.Cb[ci] = uint8((uint32(m.Cb[ci])*a + 128*(255-a) + 127) / 255)
			m.Cr[ci] = uint8((uint32(m.Cr[ci])*a + 128*(255-a) + 127) / 255)
		}
	}
}
