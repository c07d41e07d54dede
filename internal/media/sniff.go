package media

import (
	"bytes"
	"encoding/binary"
)

// format is an input image type recognised by its magic bytes.
type format int

const (
	formatUnknown format = iota
	formatJPEG
	formatPNG
	formatGIF
	formatWebP
	formatHEIC
	formatAVIF
)

// sniff identifies data by its leading bytes only. The file name and the
// client's Content-Type are never consulted: both are attacker-controlled.
func sniff(data []byte) format {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWebP
	}
	return sniffFtyp(data)
}

// sniffFtyp recognises ISO-BMFF containers (HEIF, HEIC, AVIF) by their
// leading ftyp box, so they can be rejected with a specific message
// instead of "unsupported". Other ftyp files (MP4 video) stay unknown.
func sniffFtyp(data []byte) format {
	if len(data) < 16 || string(data[4:8]) != "ftyp" {
		return formatUnknown
	}
	size := int(binary.BigEndian.Uint32(data[0:4]))
	if size < 16 || size > len(data) {
		size = min(len(data), 256)
	}
	// Major brand at 8:12, minor version at 12:16, compatible brands after.
	brands := [][]byte{data[8:12]}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, data[i:i+4])
	}
	heif := false
	for _, b := range brands {
		switch string(b) {
		case "avif", "avis":
			return formatAVIF
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			heif = true
		}
	}
	if heif {
		return formatHEIC
	}
	return formatUnknown
}
