package media

import "image"

// Exif orientations 5..8 swap width and height.
func transposes(o int) bool { return o >= 5 && o <= 8 }

// orientedSize is the displayed size of a w x h image stored with
// orientation o.
func orientedSize(o, w, h int) (int, int) {
	if transposes(o) {
		return h, w
	}
	return w, h
}

// sourcePoint maps a displayed pixel (x, y) of an image stored as w x h
// with orientation o to the stored pixel it shows. Each case is the
// inverse of the transform the Exif value asks the viewer to apply.
func sourcePoint(o, w, h, x, y int) (int, int) {
	switch o {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // rotated 180
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // needs 90 clockwise
		return y, h - 1 - x
	case 7: // transversed
		return w - 1 - y, h - 1 - x
	case 8: // needs 90 counter-clockwise
		return w - 1 - y, x
	}
	return x, y
}

// sourceRect maps a rectangle in displayed coordinates to the stored
// rectangle holding the same pixels. The orientations are all flips and
// transposes, so mapping two opposite corners is enough.
func sourceRect(o, w, h int, r image.Rectangle) image.Rectangle {
	x0, y0 := sourcePoint(o, w, h, r.Min.X, r.Min.Y)
	x1, y1 := sourcePoint(o, w, h, r.Max.X-1, r.Max.Y-1)
	return image.Rect(min(x0, x1), min(y0, y1), max(x0, x1)+1, max(y0, y1)+1)
}

// drawOriented copies src, displayed with orientation o, into dst with its
// top-left corner at off. src is small by now (already resized), so a
// plain per-pixel loop is cheap.
func drawOriented(dst *image.RGBA, off image.Point, src *image.RGBA, o int) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if o == 1 { // the common case (letterboxing): whole rows at a time
		for y := 0; y < sh; y++ {
			d := dst.PixOffset(off.X, off.Y+y)
			s := src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y)
			copy(dst.Pix[d:d+4*sw], src.Pix[s:s+4*sw])
		}
		return
	}
	dw, dh := orientedSize(o, sw, sh)
	for y := 0; y < dh; y++ {
		d := dst.PixOffset(off.X, off.Y+y)
		for x := 0; x < dw; x++ {
			sx, sy := sourcePoint(o, sw, sh, x, y)
			s := src.PixOffset(src.Rect.Min.X+sx, src.Rect.Min.Y+sy)
			copy(dst.Pix[d:d+4], src.Pix[s:s+4])
			d += 4
		}
	}
}
