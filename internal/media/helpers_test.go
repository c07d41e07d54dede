package media

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// Quadrant colours of quadImage, far apart so JPEG noise cannot confuse them.
var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
)

// quadImage returns a w x h image with red, green, blue and white
// top-left, top-right, bottom-left and bottom-right quadrants.
func quadImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := [2][2]color.RGBA{{red, green}, {blue, white}}[2*y/h][2*x/w]
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// photoImage returns a w x h image that compresses like a photo: smooth
// gradients plus fine texture, about 3-4 MB as a 12 MP JPEG at quality 90.
func photoImage(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			grain := uint32(x*7919+y*104729) * 2654435761 >> 28 // 0..15
			m.Y[y*m.YStride+x] = uint8((x+y)*200/(w+h) + int(grain))
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(100+i%37), uint8(140-i%23)
	}
	return m
}

func encJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encPNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Tiny WebP files made with libvips 8.14 (`vips webpsave`), kept as hex
// because Go has no WebP encoder. Both carry a vips EXIF chunk.
var (
	// 4x4 lossless (VP8L in VP8X), every pixel fully transparent black.
	webpTransparent = mustHex("52494646ee00000057454250565038580a000000180000000300000300005650384c0d0000002f03c00010071011118888fe070045584946ba00000045786966000049492a000800000006001201030001000000010000001a01050001000000560000001b010500010000005e0000002801030001000000020000001302030001000000010000006987040001000000660000000000000038630000e803000038630000e8030000060000900700040000003032313001910700040000000102030000a00700040000003031303001a0030001000000ffff000002a00400010000000400000003a00400010000000400000000000000")
	// 8x8 lossy (VP8 in VP8X), uniform grey 200.
	webpGrey = mustHex("52494646f800000057454250565038580a0000000800000007000007000056503820180000003001009d012a0800080002c04c25a400037000fef78c000045584946ba00000045786966000049492a000800000006001201030001000000010000001a01050001000000560000001b010500010000005e0000002801030001000000020000001302030001000000010000006987040001000000660000000000000038630000e803000038630000e8030000060000900700040000003032313001910700040000000102030000a00700040000003031303001a0030001000000ffff000002a00400010000000800000003a00400010000000800000000000000")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// exifSegment builds an APP1 Exif segment whose IFD0 holds an orientation
// tag (unless o is 0) and, if gps, a GPS IFD with a latitude reference.
func exifSegment(bo binary.ByteOrder, o int, gps bool) []byte {
	var t bytes.Buffer
	if bo == binary.BigEndian {
		t.WriteString("MM")
	} else {
		t.WriteString("II")
	}
	w16 := func(v uint16) { _ = binary.Write(&t, bo, v) }
	w32 := func(v uint32) { _ = binary.Write(&t, bo, v) }
	w16(42)
	w32(8)
	entries := 0
	if o != 0 {
		entries++
	}
	if gps {
		entries++
	}
	w16(uint16(entries))
	if o != 0 {
		w16(tagOrientation)
		w16(typeShort)
		w32(1)
		w16(uint16(o))
		w16(0)
	}
	gpsIFD := uint32(8 + 2 + 12*entries + 4)
	if gps {
		w16(0x8825) // GPSInfo IFD pointer, type LONG
		w16(4)
		w32(1)
		w32(gpsIFD)
	}
	w32(0) // no next IFD
	if gps {
		w16(1)
		w16(0x0001) // GPSLatitudeRef, ASCII "N\0"
		w16(2)
		w32(2)
		t.WriteString("N\x00\x00\x00")
		w32(0)
	}
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withSegment inserts a marker segment right after a JPEG's SOI.
func withSegment(jpg, seg []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// withPNGChunk inserts a chunk right after a PNG's IHDR.
func withPNGChunk(p []byte, typ string, data []byte) []byte {
	const afterIHDR = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:afterIHDR]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, p[afterIHDR:]...)
}

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// Decompression bombs: small valid files whose headers are patched to
// claim huge dimensions.

func pngBomb(t testing.TB, w, h uint32) []byte {
	p := encPNG(t, quadImage(8, 8))
	ihdr := p[16:29]
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))
	return p
}

func jpegBomb(t testing.TB, w, h uint16) []byte {
	j := encJPEG(t, quadImage(8, 8))
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(j[i+5:], h)
	binary.BigEndian.PutUint16(j[i+7:], w)
	return j
}

func gifBomb(t testing.TB, w, h uint16) []byte {
	g := encGIF(t, quadImage(8, 8))
	binary.LittleEndian.PutUint16(g[6:], w)
	binary.LittleEndian.PutUint16(g[8:], h)
	return g
}

func webpBomb(w, h uint32) []byte {
	b := append([]byte{}, webpTransparent...)
	// VP8X canvas size, 24-bit little-endian width-1 and height-1.
	b[24], b[25], b[26] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	b[27], b[28], b[29] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	return b
}

// rgbaAt returns the 8-bit colour of m at (x, y).
func rgbaAt(t testing.TB, m image.Image, x, y int) color.RGBA {
	t.Helper()
	r, g, b, a := m.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// near reports whether two colours match within JPEG noise.
func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) < 48 && int(y)-int(x) < 48 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

func decodeJPEG(t testing.TB, data []byte) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not a JPEG: %v", err)
	}
	return m
}
