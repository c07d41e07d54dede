package media

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// scanBomb repeats the scan of a baseline JPEG n times. (Go cannot write
// progressive JPEGs, where each repeat would cost a few bytes; the
// counting is the same.)
func scanBomb(t testing.TB, n int) []byte {
	j := encJPEG(t, quadImage(64, 64))
	sos := bytes.Index(j, []byte{0xFF, 0xDA})
	eoi := len(j) - 2
	out := append([]byte{}, j[:sos]...)
	for range n {
		out = append(out, j[sos:eoi]...)
	}
	return append(out, j[eoi:]...)
}

func TestJPEGScans(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"baseline", encJPEG(t, quadImage(64, 64)), 1},
		{"baseline with exif", withSegment(encJPEG(t, quadImage(8, 8)), exifSegment(binary.BigEndian, 6, true)), 1},
		{"ten scans", scanBomb(t, 10), 10},
		{"stops past limit", scanBomb(t, 500), maxScans + 1},
		{"truncated in header", encJPEG(t, quadImage(64, 64))[:300], 0},
		{"no scans", []byte{0xFF, 0xD8, 0xFF, 0xD9}, 0},
		{"garbage", []byte{0xFF, 0xD8, 0xFF, 0xDA}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegScans(tt.data, maxScans); got != tt.want {
				t.Errorf("jpegScans = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestProcessScanBomb(t *testing.T) {
	p := New(Config{})
	if _, err := process(t, p, scanBomb(t, maxScans), gram.ImageAvatar); err != nil {
		t.Fatalf("%d scans: %v", maxScans, err)
	}
	_, err := process(t, p, scanBomb(t, maxScans+1), gram.ImageAvatar)
	if gram.ErrorCode(err) != gram.EINVALID || gram.ErrorMessage(err) != msgBroken {
		t.Fatalf("%d scans: err = %v, want %s %q", maxScans+1, err, gram.EINVALID, msgBroken)
	}
}
