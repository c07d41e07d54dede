package media

import "encoding/binary"

// maxScans bounds the scans (SOS segments) of a JPEG. Encoders write 1
// (baseline) to about 10 (progressive). Each scan makes the decoder walk
// every block of the image, so a progressive file of a few bytes per scan
// multiplies decoding work: a 1 MB file of 87,000 scans over a 4 MP image
// took Go's decoder 80 s. libjpeg-turbo caps scans for the same reason.
const maxScans = 100

// jpegScans counts the SOS markers of a JPEG, stopping once it exceeds
// limit. Markers cannot hide in entropy-coded data, where 0xFF is always
// followed by 0x00 (stuffing) or a restart marker, so a byte walk that
// skips marker segments by their length finds every real scan in O(n).
func jpegScans(data []byte, limit int) int {
	n := 0
	for i := 2; i+1 < len(data) && n <= limit; {
		if data[i] != 0xFF {
			i++ // entropy-coded data
			continue
		}
		switch m := data[i+1]; {
		case m == 0xFF: // fill byte
			i++
		case m == 0x00, m == 0x01, m == 0xD8, m >= 0xD0 && m <= 0xD7:
			i += 2 // stuffing and markers without a length
		case m == 0xD9: // end of image
			return n
		case i+4 > len(data):
			return n
		default:
			if m == 0xDA {
				n++
			}
			i += 2 + int(binary.BigEndian.Uint16(data[i+2:i+4]))
		}
	}
	return n
}
