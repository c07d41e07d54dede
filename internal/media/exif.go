package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
)

// Orientation tag and TIFF field type, from the Exif 2.3 specification.
const (
	tagOrientation = 0x0112
	typeShort      = 3
)

// jpegOrientation returns the Exif orientation (1..8) of a JPEG, or 1 when
// there is none or it cannot be parsed: the orientation of the first APP1
// "Exif" segment before the first scan. Input is hostile: every offset is
// bounds-checked and nothing here can panic or loop forever.
func jpegOrientation(data []byte) int {
	return readJPEGHeader(bufio.NewReader(bytes.NewReader(data))).orientation
}

// tiffOrientation reads the orientation tag from IFD0 of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:8])) // int64: a uint32 offset must not wrap
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 1
	}
	count := int64(bo.Uint16(t[ifd : ifd+2]))
	for k := int64(0); k < count; k++ {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:e+2]) != tagOrientation {
			continue
		}
		if bo.Uint16(t[e+2:e+4]) != typeShort || bo.Uint32(t[e+4:e+8]) != 1 {
			return 1
		}
		// A single SHORT is stored left-aligned in the 4-byte value field.
		if o := int(bo.Uint16(t[e+8 : e+10])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}
