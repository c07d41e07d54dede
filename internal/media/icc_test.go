package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"testing"
)

// Colorants (D50-adapted, as ICC profiles store them) of Display P3 and
// sRGB, as columns r, g, b.
var (
	p3Colorants   = [3][3]float64{{0.51512146, 0.24119568, -0.00105286}, {0.29197693, 0.69224548, 0.04188538}, {0.15710449, 0.06657410, 0.78407288}}
	srgbColorants = [3][3]float64{{0.4360747, 0.2225045, 0.0139322}, {0.3850649, 0.7168786, 0.0971045}, {0.1430804, 0.0606169, 0.7141733}}
)

// srgbPara is the sRGB tone curve as a parametric curve (function 3),
// as Display P3 profiles carry it.
var srgbPara = paraTag(3, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045)

// iccProfileBytes builds a version-4 display profile with colorants cols
// and the tone curve trc on all three channels.
func iccProfileBytes(cols [3][3]float64, trc []byte) []byte {
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{{"rXYZ", xyzTag(cols[0])}, {"gXYZ", xyzTag(cols[1])}, {"bXYZ", xyzTag(cols[2])}, {"rTRC", trc}, {"gTRC", trc}, {"bTRC", trc}}
	head := make([]byte, 128)
	copy(head[12:], "mntrRGB XYZ ")
	copy(head[36:], "acsp")
	binary.BigEndian.PutUint32(head[8:], 0x04300000)
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	var data []byte
	base := 128 + 4 + 12*len(tags)
	for _, t := range tags {
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(base+len(data)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		data = append(data, t.data...)
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	p := append(append(head, table...), data...)
	binary.BigEndian.PutUint32(p[0:], uint32(len(p)))
	return p
}

func s15(v float64) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(v*65536))))
}

func xyzTag(v [3]float64) []byte {
	b := []byte("XYZ \x00\x00\x00\x00")
	for _, x := range v {
		b = append(b, s15(x)...)
	}
	return b
}

func paraTag(fn uint16, params ...float64) []byte {
	b := []byte("para\x00\x00\x00\x00")
	b = binary.BigEndian.AppendUint16(b, fn)
	b = append(b, 0, 0)
	for _, p := range params {
		b = append(b, s15(p)...)
	}
	return b
}

func curvTag(entries ...uint16) []byte {
	b := binary.BigEndian.AppendUint32([]byte("curv\x00\x00\x00\x00"), uint32(len(entries)))
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, e)
	}
	return b
}

// refP3ToSRGB converts a Display P3 colour to sRGB the way CSS Color 4
// defines it (through D65 XYZ, no D50 detour): an independent reference.
func refP3ToSRGB(c color.RGBA) color.RGBA {
	dec := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	enc := func(v float64) uint8 {
		v = min(max(v, 0), 1)
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		return uint8(math.Round(v * 255))
	}
	r, g, b := dec(c.R), dec(c.G), dec(c.B)
	x := 0.4865709486482162*r + 0.26566769316909306*g + 0.1982172852343625*b
	y := 0.2289745640697488*r + 0.6917385218365064*g + 0.079286914093745*b
	z := 0.04511338185890264*g + 1.043944368900976*b
	return color.RGBA{
		enc(3.2409699419045226*x - 1.537383177570094*y - 0.4986107602930034*z),
		enc(-0.9692436362808796*x + 1.8759675015077202*y + 0.04155505740717559*z),
		enc(0.05563007969699366*x - 0.20397695888897652*y + 1.0569715142428786*z),
		255,
	}
}

func within(a, b color.RGBA, d int) bool {
	f := func(x, y uint8) bool { return int(x)-int(y) <= d && int(y)-int(x) <= d }
	return f(a.R, b.R) && f(a.G, b.G) && f(a.B, b.B)
}

func TestParseICCDisplayP3(t *testing.T) {
	c := parseICC(iccProfileBytes(p3Colorants, srgbPara))
	if c == nil {
		t.Fatal("Display P3: no transform")
	}
	for _, in := range []color.RGBA{
		{234, 51, 35, 255},   // sRGB red, as P3 writes it
		{255, 0, 0, 255},     // P3 red: outside sRGB, clipped
		{0, 255, 0, 255},     // P3 green: outside sRGB, clipped
		{10, 200, 90, 255},   // a green
		{128, 128, 128, 255}, // grey stays grey
		{255, 255, 255, 255}, // white stays white
		{0, 0, 0, 255},       // black stays black
		{40, 60, 200, 255},
	} {
		pix := []uint8{in.R, in.G, in.B, in.A}
		c.apply(pix)
		got, want := color.RGBA{pix[0], pix[1], pix[2], pix[3]}, refP3ToSRGB(in)
		if !within(got, want, 2) {
			t.Errorf("P3 %v: got sRGB %v, want %v", in, got, want)
		}
	}
}

func TestParseICCKinds(t *testing.T) {
	p3 := iccProfileBytes(p3Colorants, srgbPara)
	gray := append([]byte{}, p3...)
	copy(gray[16:], "GRAY")
	noB := bytes.Replace(append([]byte{}, p3...), []byte("bTRC"), []byte("bXXX"), 1)
	farTag := append([]byte{}, p3...)
	binary.BigEndian.PutUint32(farTag[132+4:], 1<<31) // rXYZ's offset
	hugeCurve := curvTag(0, 65535)
	binary.BigEndian.PutUint32(hugeCurve[8:], 1<<30)
	tests := []struct {
		name    string
		profile []byte
		convert bool
	}{
		{"display p3", p3, true},
		{"sRGB colorants and curve", iccProfileBytes(srgbColorants, srgbPara), false},
		{"wide gamut with a gamma", iccProfileBytes(p3Colorants, curvTag(563)), true}, // 2.2
		{"wide gamut with a table", iccProfileBytes(p3Colorants, curvTag(0, 16384, 65535)), true},
		{"wide gamut, linear", iccProfileBytes(p3Colorants, curvTag()), true},
		{"para function 4", iccProfileBytes(p3Colorants, paraTag(4, 2.4, 1/1.055, 0.055/1.055, 1/12.92, 0.04045, 0, 0)), true},
		{"para function 0", iccProfileBytes(p3Colorants, paraTag(0, 2.2)), true},
		{"unknown para function", iccProfileBytes(p3Colorants, paraTag(9, 2.2)), false},
		{"para without its parameters", iccProfileBytes(p3Colorants, paraTag(3, 2.4)), false},
		{"curve longer than its tag", iccProfileBytes(p3Colorants, hugeCurve), false},
		{"grey profile", gray, false},
		{"missing blue curve", noB, false},
		{"tag beyond the profile", farTag, false},
		{"truncated", p3[:140], false},
		{"empty", nil, false},
		{"not a profile", bytes.Repeat([]byte("x"), 200), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseICC(tt.profile) != nil; got != tt.convert {
				t.Errorf("converts: %v, want %v", got, tt.convert)
			}
		})
	}
}

// A table curve of identity and a linear curve convert a grey to the
// same grey in light, whatever its encoding.
func TestParseICCGreyStaysGrey(t *testing.T) {
	for _, trc := range [][]byte{curvTag(563), curvTag(0, 16384, 65535), curvTag(), srgbPara} {
		c := parseICC(iccProfileBytes(p3Colorants, trc))
		for v := range 256 {
			pix := []uint8{uint8(v), uint8(v), uint8(v), 255}
			c.apply(pix)
			if d := int(pix[0]) - int(pix[2]); d < -1 || d > 1 || int(pix[0])-int(pix[1]) > 1 || int(pix[1])-int(pix[0]) > 1 {
				t.Fatalf("grey %d became %v", v, pix[:3])
			}
		}
	}
}

// iccSegments splits a profile into JPEG APP2 segments of at most size
// bytes of profile each.
func iccSegments(p []byte, size int) [][]byte {
	var segs [][]byte
	count := (len(p) + size - 1) / size
	for i := 0; i < count; i++ {
		chunk := p[i*size : min(len(p), (i+1)*size)]
		payload := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(count))
		payload = append(payload, chunk...)
		seg := []byte{0xFF, 0xE2, 0, 0}
		binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
		segs = append(segs, append(seg, payload...))
	}
	return segs
}

func zlibBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func TestICCProfileExtraction(t *testing.T) {
	p3 := iccProfileBytes(p3Colorants, srgbPara)
	jpg := encJPEG(t, quadImage(8, 8))
	segs := iccSegments(p3, 200)
	if len(segs) < 2 {
		t.Fatalf("profile of %d bytes fits one segment; want a split", len(p3))
	}
	inOrder := jpg
	for i := len(segs) - 1; i >= 0; i-- {
		inOrder = withSegment(inOrder, segs[i])
	}
	reversed := jpg
	for _, s := range segs {
		reversed = withSegment(reversed, s)
	}
	tests := []struct {
		name string
		data []byte
		f    format
		want []byte
	}{
		{"jpeg, one segment", withSegment(jpg, iccSegments(p3, 1000)[0]), formatJPEG, p3},
		{"jpeg, segments in order", inOrder, formatJPEG, p3},
		{"jpeg, segments out of order", reversed, formatJPEG, p3},
		{"jpeg, a segment missing", withSegment(jpg, segs[0]), formatJPEG, nil},
		{"jpeg, a segment twice", withSegment(withSegment(jpg, segs[0]), segs[0]), formatJPEG, nil},
		{"jpeg without a profile", jpg, formatJPEG, nil},
		{"png", withPNGChunk(encPNG(t, quadImage(8, 8)), "iCCP", append([]byte("Display P3\x00\x00"), zlibBytes(p3)...)), formatPNG, p3},
		{"png, broken zlib", withPNGChunk(encPNG(t, quadImage(8, 8)), "iCCP", []byte("P3\x00\x00garbage")), formatPNG, nil},
		{"png without a profile", encPNG(t, quadImage(8, 8)), formatPNG, nil},
		{"webp", webpWithICC(p3), formatWebP, p3},
		{"webp without a profile", webpGrey, formatWebP, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := iccProfile(tt.data, tt.f); !bytes.Equal(got, tt.want) {
				t.Errorf("profile of %d bytes, want %d", len(got), len(tt.want))
			}
		})
	}
}

// webpWithICC inserts an ICCP chunk after the VP8X chunk of
// webpTransparent.
func webpWithICC(p []byte) []byte {
	const afterVP8X = 12 + 8 + 10
	chunk := binary.LittleEndian.AppendUint32([]byte("ICCP"), uint32(len(p)))
	chunk = append(chunk, p...)
	if len(p)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append(append(append([]byte{}, webpTransparent[:afterVP8X]...), chunk...), webpTransparent[afterVP8X:]...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// A phone photo in Display P3 keeps its colours: the output, which has no
// profile, holds the sRGB values of the same colours.
func TestProcessConvertsDisplayP3(t *testing.T) {
	in := color.RGBA{234, 51, 35, 255} // sRGB red, as P3 writes it
	flat := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{in.R, in.G, in.B, in.A})
	}
	p3 := iccProfileBytes(p3Colorants, srgbPara)
	srgb := iccProfileBytes(srgbColorants, srgbPara)
	want := refP3ToSRGB(in)
	tests := []struct {
		name string
		data []byte
		want color.RGBA
	}{
		{"jpeg in Display P3", withSegment(encJPEG(t, flat), iccSegments(p3, 1000)[0]), want},
		{"png in Display P3", withPNGChunk(encPNG(t, flat), "iCCP", append([]byte("P3\x00\x00"), zlibBytes(p3)...)), want},
		{"jpeg in sRGB", withSegment(encJPEG(t, flat), iccSegments(srgb, 1000)[0]), in},
		{"jpeg without a profile", encJPEG(t, flat), in},
	}
	p := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustProcess(t, p, tt.data, 1)
			if got := rgbaAt(t, decodeJPEG(t, img.Data), 32, 32); !within(got, tt.want, 6) {
				t.Errorf("centre %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzICC: profile extraction and parsing never panic on hostile bytes,
// and a transform never maps a pixel outside 0..255 (it cannot, by type,
// but it must not index out of range either).
func FuzzICC(f *testing.F) {
	p3 := iccProfileBytes(p3Colorants, srgbPara)
	f.Add(p3)
	f.Add(iccProfileBytes(p3Colorants, curvTag(0, 16384, 65535)))
	f.Add(withSegment(encJPEG(f, quadImage(8, 8)), iccSegments(p3, 1000)[0]))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fm := range []format{formatJPEG, formatPNG, formatWebP} {
			_ = iccProfile(data, fm)
		}
		if c := parseICC(data); c != nil {
			pix := []uint8{0, 0, 0, 255, 255, 255, 255, 255, 1, 128, 254, 255}
			c.apply(pix)
		}
	})
}

// BenchmarkICCApply: converting a full-size post (1080x1350) to sRGB.
func BenchmarkICCApply(b *testing.B) {
	c := parseICC(iccProfileBytes(p3Colorants, srgbPara))
	pix := make([]uint8, 1080*1350*4)
	for i := range pix {
		pix[i] = uint8(i * 7)
	}
	b.SetBytes(int64(len(pix)))
	for b.Loop() {
		c.apply(pix)
	}
}
