package media

import (
	"bufio"
	"encoding/binary"
	"io"
)

// The headers read here say how large the decoders' buffers will be,
// before anything is decoded. Input is hostile: every reader consumes
// bytes at each step, so it ends on any input, and stops at the first
// inconsistency with what it has found so far.

// jpegHeader is what the segments of a JPEG before its first scan tell:
// its frame header (SOFn) and its Exif orientation.
type jpegHeader struct {
	frame       bool // a frame header was read
	progressive bool // the decoder keeps every coefficient, 4 bytes a sample
	h, v        []int
	orientation int // 1..8, 1 when there is no Exif orientation
}

// worstFrame stands in for a frame header that cannot be read: three
// full-resolution components, progressive.
var worstFrame = jpegHeader{frame: true, progressive: true, h: []int{1, 1, 1}, v: []int{1, 1, 1}, orientation: 1}

// readJPEGHeader walks the marker segments of a JPEG up to its first scan,
// reading the frame header and the first APP1 segment (the first Exif one
// gives the orientation) and skipping the others.
func readJPEGHeader(r *bufio.Reader) jpegHeader {
	hd := jpegHeader{orientation: 1}
	if _, err := r.Discard(2); err != nil { // SOI
		return hd
	}
	exif := false
	for {
		m, n, ok := nextSegment(r)
		switch {
		case !ok:
			return hd
		case n < 0: // a marker without a length
			continue
		case !(isSOF(m) && !hd.frame) && !(m == 0xE1 && !exif):
			if _, err := r.Discard(n); err != nil {
				return hd
			}
			continue
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(r, seg); err != nil {
			return hd
		}
		if isSOF(m) {
			hd.frame = hd.parseSOF(m, seg)
		} else if len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			exif, hd.orientation = true, tiffOrientation(seg[6:])
		}
	}
}

// nextSegment reads a marker (after any fill bytes) and its segment's
// length: n is the payload's length, or -1 for a marker without one. ok is
// false at a scan, at the end of the image, and on anything malformed.
func nextSegment(r *bufio.Reader) (m byte, n int, ok bool) {
	if b, err := r.ReadByte(); err != nil || b != 0xFF {
		return 0, 0, false
	}
	m = 0xFF
	for m == 0xFF {
		var err error
		if m, err = r.ReadByte(); err != nil {
			return 0, 0, false
		}
	}
	switch {
	case m == 0xDA || m == 0xD9: // start of scan, end of image
		return m, 0, false
	case m == 0x01 || m >= 0xD0 && m <= 0xD8:
		return m, -1, true
	}
	var l [2]byte
	if _, err := io.ReadFull(r, l[:]); err != nil || binary.BigEndian.Uint16(l[:]) < 2 {
		return m, 0, false
	}
	return m, int(binary.BigEndian.Uint16(l[:])) - 2, true
}

// isSOF reports whether m starts a frame: 0xC0-0xCF except DHT (C4), JPG
// (C8) and DAC (CC).
func isSOF(m byte) bool { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC }

// parseSOF reads a frame header's payload: precision, height, width, the
// component count, then an id, sampling factors and table per component.
func (hd *jpegHeader) parseSOF(m byte, b []byte) bool {
	if len(b) < 6 || b[5] == 0 || len(b) < 6+3*int(b[5]) {
		return false
	}
	hd.progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
	for i := range int(b[5]) {
		hv := b[6+3*i+1]
		if hv>>4 == 0 || hv&0x0F == 0 {
			hd.h, hd.v = nil, nil
			return false
		}
		hd.h, hd.v = append(hd.h, int(hv>>4)), append(hd.v, int(hv&0x0F))
	}
	return true
}

// pngHeader is what the chunks of a PNG before its image data tell.
type pngHeader struct {
	interlaced   bool // decoded pass by pass, into images of their own
	transparency bool // a tRNS chunk: gray and RGB decode to NRGBA, 16-bit to NRGBA64
}

// readPNGHeader walks the chunks after the signature up to the first
// IDAT, skipping their contents.
func readPNGHeader(r *bufio.Reader) pngHeader {
	var hd pngHeader
	if _, err := r.Discard(8); err != nil {
		return hd
	}
	for {
		var c [8]byte // length, type
		if _, err := io.ReadFull(r, c[:]); err != nil {
			return hd
		}
		n := int64(binary.BigEndian.Uint32(c[:4])) + 4 // and the CRC
		switch string(c[4:]) {
		case "IDAT", "IEND":
			return hd
		case "tRNS":
			hd.transparency = true
		case "IHDR":
			var b [13]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return hd
			}
			hd.interlaced, n = b[12] == 1, n-13
		}
		if _, err := r.Discard(int(min(n, 1<<31))); err != nil {
			return hd
		}
	}
}
