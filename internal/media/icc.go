package media

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"math"
)

// Phones write photos in a wide-gamut colour space (Display P3 on
// iPhones) and say so in an embedded ICC profile. The output JPEG carries
// no profile, so viewers read it as sRGB; without a conversion its colours
// would look washed out. toSRGB converts the pixels instead.
//
// Supported are matrix/TRC RGB profiles (colorants rXYZ, gXYZ, bXYZ and
// tone curves rTRC, gTRC, bTRC): Display P3, Adobe RGB, ProPhoto and the
// other profiles cameras and phones embed. Anything else (LUT-based,
// grey, CMYK, malformed) is left as it is, as browsers do with a profile
// they cannot read.

// maxICC bounds the profile read from an upload; matrix/TRC profiles are
// a few kilobytes at most.
const maxICC = 1 << 20

// colourTransform maps 8-bit samples of a source colour space to sRGB.
type colourTransform struct {
	lin [3][256]float32 // per channel: encoded sample to linear light
	m   [9]float32      // linear source RGB to linear sRGB, row-major
}

// srgbD50 are the colorants of sRGB adapted to the ICC's D50 white (the
// rXYZ, gXYZ and bXYZ of the sRGB IEC61966-2.1 profile), as columns.
var srgbD50 = [9]float64{
	0.4360747, 0.3850649, 0.1430804,
	0.2225045, 0.7168786, 0.0606169,
	0.0139322, 0.0971045, 0.7141733,
}

// xyzToSRGB turns D50 XYZ into linear sRGB.
var xyzToSRGB = invert3(srgbD50)

// srgbEncode maps linear light, in 4096 steps, to 8-bit sRGB.
var srgbEncode = func() (t [4096]uint8) {
	for i := range t {
		v := float64(i) / 4095
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		t[i] = uint8(math.Round(v * 255))
	}
	return t
}()

// parseICC returns the transform to sRGB for an ICC profile, or nil when
// no conversion is needed or possible: no profile, one that is sRGB
// already, one of an unsupported kind, or a malformed one. It never panics
// on hostile input.
func parseICC(p []byte) *colourTransform {
	if len(p) < 132 || string(p[16:20]) != "RGB " || string(p[20:24]) != "XYZ " || string(p[36:40]) != "acsp" {
		return nil
	}
	tags := map[string][]byte{}
	n := int(binary.BigEndian.Uint32(p[128:132]))
	for i := 0; i < n && 132+12*i+12 <= len(p) && i < 100; i++ {
		e := p[132+12*i:]
		off, size := int64(binary.BigEndian.Uint32(e[4:8])), int64(binary.BigEndian.Uint32(e[8:12]))
		if off+size <= int64(len(p)) {
			tags[string(e[:4])] = p[off : off+size]
		}
	}
	var c colourTransform
	var cols [9]float64
	for ch, name := range []string{"r", "g", "b"} {
		xyz, ok := readXYZ(tags[name+"XYZ"])
		if !ok || !readCurve(tags[name+"TRC"], &c.lin[ch]) {
			return nil
		}
		cols[ch], cols[3+ch], cols[6+ch] = xyz[0], xyz[1], xyz[2]
	}
	m := mul3(xyzToSRGB, cols)
	if isSRGB(&c, m) {
		return nil
	}
	for i, v := range m {
		c.m[i] = float32(v)
	}
	return &c
}

// readXYZ reads an XYZType tag: the signature, 4 reserved bytes, then
// three s15Fixed16Number values.
func readXYZ(b []byte) ([3]float64, bool) {
	var v [3]float64
	if len(b) < 20 || string(b[:4]) != "XYZ " {
		return v, false
	}
	for i := range v {
		v[i] = s15f16(b[8+4*i:])
	}
	return v, true
}

// readCurve fills lin from a curveType or parametricCurveType tag.
func readCurve(b []byte, lin *[256]float32) bool {
	if len(b) < 12 {
		return false
	}
	var f func(x float64) float64
	switch string(b[:4]) {
	case "curv":
		f = curv(b)
	case "para":
		f = para(b)
	}
	if f == nil {
		return false
	}
	for i := range lin {
		lin[i] = float32(min(max(f(float64(i)/255), 0), 1))
	}
	return true
}

// curv reads a curveType: no entries is the identity, one entry a gamma
// (u8Fixed8Number), more a table sampled evenly over [0, 1].
func curv(b []byte) func(float64) float64 {
	n := int(binary.BigEndian.Uint32(b[8:12]))
	if n < 0 || n > (len(b)-12)/2 {
		return nil
	}
	table := make([]float64, n)
	for i := range table {
		table[i] = float64(binary.BigEndian.Uint16(b[12+2*i:])) / 65535
	}
	switch n {
	case 0:
		return func(x float64) float64 { return x }
	case 1:
		g := table[0] * 65535 / 256
		return func(x float64) float64 { return math.Pow(x, g) }
	}
	return func(x float64) float64 {
		pos := x * float64(n-1)
		i := min(int(pos), n-2)
		return table[i] + (table[i+1]-table[i])*(pos-float64(i))
	}
}

// para reads a parametricCurveType: functions 0 to 4 of ICC.1:2010 with
// parameters g, a, b, c, d, e, f.
func para(b []byte) func(float64) float64 {
	counts := [5]int{1, 3, 4, 5, 7}
	fn := int(binary.BigEndian.Uint16(b[8:10]))
	if fn >= len(counts) || len(b) < 12+4*counts[fn] {
		return nil
	}
	var p [7]float64
	for i := range counts[fn] {
		p[i] = s15f16(b[12+4*i:])
	}
	g, a, bb, c, d, e, f := p[0], p[1], p[2], p[3], p[4], p[5], p[6]
	pow := func(x float64) float64 { return math.Pow(max(x, 0), g) }
	switch fn {
	case 0:
		return func(x float64) float64 { return pow(x) }
	case 1:
		return func(x float64) float64 {
			if a != 0 && x >= -bb/a {
				return pow(a*x + bb)
			}
			return 0
		}
	case 2:
		return func(x float64) float64 {
			if a != 0 && x >= -bb/a {
				return pow(a*x+bb) + c
			}
			return c
		}
	case 3:
		return func(x float64) float64 {
			if x >= d {
				return pow(a*x + bb)
			}
			return c * x
		}
	}
	return func(x float64) float64 {
		if x >= d {
			return pow(a*x+bb) + e
		}
		return c*x + f
	}
}

// s15f16 reads an s15Fixed16Number.
func s15f16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

// isSRGB reports whether the profile is sRGB in all but rounding: a
// matrix within 0.002 of the identity and curves within one level.
func isSRGB(c *colourTransform, m [9]float64) bool {
	for i, v := range m {
		want := 0.0
		if i%4 == 0 {
			want = 1
		}
		if math.Abs(v-want) > 0.002 {
			return false
		}
	}
	for ch := range c.lin {
		for i, v := range c.lin[ch] {
			if d := int(encodeSRGB(v)) - i; d < -1 || d > 1 {
				return false
			}
		}
	}
	return true
}

// apply converts opaque RGBA pixels in place.
func (c *colourTransform) apply(pix []uint8) {
	m := &c.m
	for i := 0; i+3 < len(pix); i += 4 {
		r, g, b := c.lin[0][pix[i]], c.lin[1][pix[i+1]], c.lin[2][pix[i+2]]
		pix[i] = encodeSRGB(m[0]*r + m[1]*g + m[2]*b)
		pix[i+1] = encodeSRGB(m[3]*r + m[4]*g + m[5]*b)
		pix[i+2] = encodeSRGB(m[6]*r + m[7]*g + m[8]*b)
	}
}

// encodeSRGB clips linear light to [0, 1] and encodes it.
func encodeSRGB(v float32) uint8 {
	return srgbEncode[int(min(max(v, 0), 1)*4095+0.5)]
}

// invert3 inverts a 3×3 row-major matrix. The sRGB colorant matrix it is
// used on is well conditioned.
func invert3(a [9]float64) [9]float64 {
	det := a[0]*(a[4]*a[8]-a[5]*a[7]) - a[1]*(a[3]*a[8]-a[5]*a[6]) + a[2]*(a[3]*a[7]-a[4]*a[6])
	return [9]float64{
		(a[4]*a[8] - a[5]*a[7]) / det, (a[2]*a[7] - a[1]*a[8]) / det, (a[1]*a[5] - a[2]*a[4]) / det,
		(a[5]*a[6] - a[3]*a[8]) / det, (a[0]*a[8] - a[2]*a[6]) / det, (a[2]*a[3] - a[0]*a[5]) / det,
		(a[3]*a[7] - a[4]*a[6]) / det, (a[1]*a[6] - a[0]*a[7]) / det, (a[0]*a[4] - a[1]*a[3]) / det,
	}
}

// mul3 multiplies two 3×3 row-major matrices.
func mul3(a, b [9]float64) (m [9]float64) {
	for r := range 3 {
		for c := range 3 {
			m[3*r+c] = a[3*r]*b[c] + a[3*r+1]*b[3+c] + a[3*r+2]*b[6+c]
		}
	}
	return m
}

// iccProfile returns the ICC profile embedded in an upload, or nil: the
// APP2 "ICC_PROFILE" segments of a JPEG in sequence order, the iCCP chunk
// of a PNG, the ICCP chunk of a WebP, the colr box of a HEIF container
// (through libvips, in builds that decode HEIF). GIF has none.
func iccProfile(data []byte, f format) []byte {
	switch f {
	case formatJPEG:
		return jpegICC(data)
	case formatPNG:
		return pngICC(data)
	case formatWebP:
		return webpICC(data)
	case formatHEIC, formatAVIF:
		if heifProfile != nil {
			return heifProfile(data)
		}
	}
	return nil
}

// jpegICC joins the ICC_PROFILE segments before the first scan. Each
// carries its sequence number (from 1) and the count; a missing, repeated
// or inconsistent chunk drops the whole profile.
func jpegICC(data []byte) []byte {
	r := bufio.NewReader(bytes.NewReader(data))
	if _, err := r.Discard(2); err != nil {
		return nil
	}
	var chunks [][]byte
	total := 0
	for {
		m, n, ok := nextSegment(r)
		switch {
		case !ok:
			return joinChunks(chunks)
		case n < 0:
			continue
		case m != 0xE2 || n < 14 || total+n > maxICC:
			if _, err := r.Discard(n); err != nil {
				return nil
			}
			continue
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(r, seg); err != nil {
			return nil
		}
		if string(seg[:12]) != "ICC_PROFILE\x00" {
			continue
		}
		seq, count := int(seg[12]), int(seg[13])
		if chunks == nil {
			chunks = make([][]byte, count)
		}
		if seq < 1 || seq > len(chunks) || count != len(chunks) || chunks[seq-1] != nil {
			return nil
		}
		chunks[seq-1], total = seg[14:], total+n
	}
}

// joinChunks concatenates chunks, or returns nil if one is missing.
func joinChunks(chunks [][]byte) []byte {
	var p []byte
	for _, c := range chunks {
		if c == nil {
			return nil
		}
		p = append(p, c...)
	}
	return p
}

// pngICC inflates the iCCP chunk before the image data: a profile name
// (1-79 bytes), a NUL, the compression method (0: zlib), the profile.
func pngICC(data []byte) []byte {
	for i := 8; i+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		end := int64(i) + 12 + n
		if typ == "IDAT" || end > int64(len(data)) {
			return nil
		}
		if typ == "iCCP" {
			body := data[i+8 : int64(i)+8+n]
			nul := bytes.IndexByte(body, 0)
			if nul < 1 || nul+2 > len(body) || body[nul+1] != 0 {
				return nil
			}
			return inflate(body[nul+2:])
		}
		i = int(end)
	}
	return nil
}

// inflate decompresses a zlib stream of at most maxICC bytes.
func inflate(z []byte) []byte {
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil
	}
	p, err := io.ReadAll(io.LimitReader(zr, maxICC+1))
	if err != nil || len(p) > maxICC {
		return nil
	}
	return p
}

// webpICC returns the ICCP chunk of an extended (VP8X) WebP.
func webpICC(data []byte) []byte {
	for i := 12; i+8 <= len(data); {
		n := int64(binary.LittleEndian.Uint32(data[i+4:]))
		end := int64(i) + 8 + n + n&1 // chunks are padded to even sizes
		if int64(i)+8+n > int64(len(data)) || n > maxICC {
			return nil
		}
		if string(data[i:i+4]) == "ICCP" {
			return data[i+8 : int64(i)+8+n]
		}
		if end > int64(len(data)) {
			return nil
		}
		i = int(end)
	}
	return nil
}
