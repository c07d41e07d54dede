package media

import (
	"image"

	"golang.org/x/image/draw"
)

// kernel is the final resampling filter. Catmull-Rom is sharp without the
// ringing of Lanczos, and its slight sharpening offsets the softness of the
// box pre-shrink (the same recipe as libvips: shrink, then a sharp
// kernel). Measured on the 1200x1500 -> 1080x1350 step of a 12 MP post, CPU
// per op: CatmullRom 99 ms, BiLinear 51 ms, ApproxBiLinear 32 ms (which
// point-samples and aliases near 2:1). Without the pre-shrink CatmullRom
// takes 321 ms on the full 2400x3000 crop.
var kernel draw.Scaler = draw.CatmullRom

// resize scales the region r of src to an RGBA image of size sz.
//
// Large downscales first box-average src by an integer factor so the
// intermediate stays at least sz: averaging whole blocks is cheap, has no
// aliasing, and shrinks the work (and x/image/draw's dst-width x src-height
// scratch buffer) for the accurate kernel that finishes the job.
func resize(src image.Image, r image.Rectangle, sz image.Point) *image.RGBA {
	if f := shrinkFactor(r.Size(), sz); f >= 2 {
		if small := boxShrink(src, r, f); small != nil {
			src, r = small, small.Bounds()
		}
	}
	if m, ok := src.(*image.YCbCr); ok && r.Size() != sz {
		// The kernel converts YCbCr to RGB once per tap; converting
		// each pixel once up front is cheaper.
		rgba := image.NewRGBA(image.Rectangle{Max: r.Size()})
		draw.Draw(rgba, rgba.Rect, m, r.Min, draw.Src)
		src, r = rgba, rgba.Rect
	}
	dst := image.NewRGBA(image.Rect(0, 0, sz.X, sz.Y))
	if r.Size() == sz {
		draw.Copy(dst, image.Point{}, src, r, draw.Src, nil)
		return dst
	}
	kernel.Scale(dst, dst.Rect, src, r, draw.Src, nil)
	return dst
}

// shrinkFactor is the largest integer factor that shrinks a region of
// size r to no less than sz.
func shrinkFactor(r, sz image.Point) int { return min(r.X/sz.X, r.Y/sz.Y) }

// boxShrink averages f x f blocks of the region r of src, for the decoded
// types that dominate uploads. It returns nil for other types, which are
// then scaled by the kernel alone (correct, only slower). Partial blocks at
// the right and bottom edges are dropped: at most f-1 source pixels.
func boxShrink(src image.Image, r image.Rectangle, f int) image.Image {
	if m, ok := src.(*image.YCbCr); ok {
		return shrinkYCbCr(m, r, f)
	}
	w, h := r.Dx()/f, r.Dy()/f
	switch m := src.(type) {
	case *image.RGBA:
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		shrinkPlane(out.Pix, out.Stride, m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, w, h, 4, f, w*f, h*f)
		return out
	case *image.NRGBA: // opaque by now, so averaging unpremultiplied is exact
		out := image.NewNRGBA(image.Rect(0, 0, w, h))
		shrinkPlane(out.Pix, out.Stride, m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, w, h, 4, f, w*f, h*f)
		return out
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, w, h))
		shrinkPlane(out.Pix, out.Stride, m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride, w, h, 1, f, w*f, h*f)
		return out
	}
	return nil
}

// shrinkYCbCr shrinks each plane separately, keeping the subsampling.
// With cx x cy subsampling, one output chroma sample covers f x f source
// chroma samples, provided the region and f are aligned to the chroma
// grid. So f is rounded down to a multiple of the subsampling, and the
// region is moved up-left by at most cx-1, cy-1 pixels onto the grid:
// an invisible shift that keeps the fast path for every crop.
func shrinkYCbCr(m *image.YCbCr, r image.Rectangle, f int) image.Image {
	cx, cy := chromaFactors(m.SubsampleRatio)
	if f -= f % max(cx, cy); f < 2 { // cx, cy are 1, 2 or 4: max is the lcm
		return nil
	}
	ox, oy := r.Min.X-m.Rect.Min.X, r.Min.Y-m.Rect.Min.Y
	r = r.Sub(image.Pt(ox%cx, oy%cy))
	ox, oy = ox-ox%cx, oy-oy%cy
	w, h := r.Dx()/f, r.Dy()/f
	out := image.NewYCbCr(image.Rect(0, 0, w, h), m.SubsampleRatio)
	shrinkPlane(out.Y, out.YStride, m.Y[m.YOffset(r.Min.X, r.Min.Y):], m.YStride, w, h, 1, f, w*f, h*f)
	cw, ch := divCeil(w, cx), divCeil(h, cy)
	// The last chroma block of an odd-sized output may run past the
	// source's chroma plane; clip it there.
	sw := min(cw*f, divCeil(m.Rect.Dx(), cx)-ox/cx)
	sh := min(ch*f, divCeil(m.Rect.Dy(), cy)-oy/cy)
	ci := m.COffset(r.Min.X, r.Min.Y)
	shrinkPlane(out.Cb, out.CStride, m.Cb[ci:], m.CStride, cw, ch, 1, f, sw, sh)
	shrinkPlane(out.Cr, out.CStride, m.Cr[ci:], m.CStride, cw, ch, 1, f, sw, sh)
	return out
}

func chromaFactors(r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// shrinkPlane writes into dst (w x h pixels of n interleaved channels) the
// average of each f x f block of src, clipped to the sw x sh pixels that
// src holds.
func shrinkPlane(dst []uint8, dstStride int, src []uint8, srcStride, w, h, n, f, sw, sh int) {
	sum := make([]uint32, w*n)
	for y := 0; y < h; y++ {
		clear(sum)
		y0, y1 := y*f, min(y*f+f, sh)
		for sy := y0; sy < y1; sy++ {
			sumRow(sum, src[sy*srcStride:], w, n, f, sw)
		}
		out := dst[y*dstStride:]
		for x := 0; x < w; x++ {
			area := uint32(max(1, (min(x*f+f, sw)-x*f)*(y1-y0)))
			for c := x * n; c < x*n+n; c++ {
				out[c] = uint8((sum[c] + area/2) / area)
			}
		}
	}
}

// sumRow adds one source row, block by block, into the per-output sums.
// The one- and four-channel cases (planes, RGBA) get tight loops over
// contiguous bytes; this is the hottest loop after JPEG decoding.
func sumRow(sum []uint32, row []uint8, w, n, f, sw int) {
	for x := 0; x < w; x++ {
		block := row[x*f*n : min(x*f+f, sw)*n]
		switch n {
		case 1:
			var s uint32
			for _, v := range block {
				s += uint32(v)
			}
			sum[x] += s
		case 4:
			var r, g, b, a uint32
			for i := 0; i+3 < len(block); i += 4 {
				r += uint32(block[i])
				g += uint32(block[i+1])
				b += uint32(block[i+2])
				a += uint32(block[i+3])
			}
			sum[4*x], sum[4*x+1], sum[4*x+2], sum[4*x+3] = sum[4*x]+r, sum[4*x+1]+g, sum[4*x+2]+b, sum[4*x+3]+a
		default:
			for i, v := range block {
				sum[x*n+i%n] += uint32(v)
			}
		}
	}
}
