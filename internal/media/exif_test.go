package media

import (
	"encoding/binary"
	"testing"
)

func TestJPEGOrientation(t *testing.T) {
	soi := []byte{0xFF, 0xD8}
	good := append(append([]byte{}, soi...), exifSegment(binary.LittleEndian, 6, true)...)
	// tiff returns good's TIFF payload patched by fn.
	tiff := func(fn func(t []byte)) []byte {
		b := append([]byte{}, good...)
		fn(b[2+4+6:])
		return b
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"little endian", good, 6},
		{"big endian", append(append([]byte{}, soi...), exifSegment(binary.BigEndian, 8, false)...), 8},
		{"no orientation tag", append(append([]byte{}, soi...), exifSegment(binary.BigEndian, 0, true)...), 1},
		{"after app0 and fill bytes", append(append([]byte{}, soi...), append([]byte{0xFF, 0xE0, 0, 4, 'J', 'F', 0xFF, 0xFF}, good[2:]...)...), 6},
		{"no exif", soi, 1},
		{"empty", nil, 1},
		{"value out of range", append(append([]byte{}, soi...), exifSegment(binary.BigEndian, 9, false)...), 1},
		{"value zero", tiff(func(t []byte) { t[8+2+8] = 0 }), 1},
		{"wrong type", tiff(func(t []byte) { t[8+2+2] = 4 }), 1},
		{"wrong count", tiff(func(t []byte) { t[8+2+4] = 2 }), 1},
		{"bad byte order", tiff(func(t []byte) { t[0] = 'X' }), 1},
		{"bad magic", tiff(func(t []byte) { t[2] = 43 }), 1},
		{"ifd offset past end", tiff(func(t []byte) { binary.LittleEndian.PutUint32(t[4:], 1<<31) }), 1},
		{"ifd offset max uint32", tiff(func(t []byte) { binary.LittleEndian.PutUint32(t[4:], 0xFFFFFFFF) }), 1},
		{"ifd offset inside header", tiff(func(t []byte) { binary.LittleEndian.PutUint32(t[4:], 2) }), 1},
		{"entry count past end", tiff(func(t []byte) { binary.LittleEndian.PutUint16(t[8:], 0xFFFF); t[10] = 0 }), 1},
		{"segment length past end", append(append([]byte{}, soi...), 0xFF, 0xE1, 0xFF, 0xFF, 'E'), 1},
		{"segment length too small", append(append([]byte{}, soi...), 0xFF, 0xE1, 0, 1, 0, 0), 1},
		{"truncated payload", good[:len(good)-20], 1},
		{"exif after scan", append(append([]byte{}, soi...), append([]byte{0xFF, 0xDA, 0, 2}, good[2:]...)...), 1},
		{"garbage", []byte{0xFF, 0xD8, 0x12, 0x34, 0x56, 0x78}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzJPEGOrientation checks the hand-written parser never panics and
// always returns a valid orientation.
func FuzzJPEGOrientation(f *testing.F) {
	f.Add(append([]byte{0xFF, 0xD8}, exifSegment(binary.LittleEndian, 6, true)...))
	f.Add(append([]byte{0xFF, 0xD8}, exifSegment(binary.BigEndian, 3, false)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d out of range", o)
		}
	})
}
