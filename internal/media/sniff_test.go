package media

import "testing"

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want format
	}{
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, formatJPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), formatPNG},
		{"gif87", []byte("GIF87a.."), formatGIF},
		{"gif89", []byte("GIF89a.."), formatGIF},
		{"webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), formatWebP},
		{"riff wav", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), formatUnknown},
		{"heic", ftyp("heic", "mif1"), formatHEIC},
		{"heix", ftyp("heix"), formatHEIC},
		{"avif", ftyp("avif"), formatAVIF},
		{"avif compatible", ftyp("mif1", "avif"), formatAVIF},
		{"mp4", ftyp("isom", "mp41"), formatUnknown},
		{"ftyp bad size", []byte("\xff\xff\xff\xffftypheic\x00\x00\x00\x00"), formatHEIC},
		{"short", []byte{0xFF, 0xD8}, formatUnknown},
		{"bmp", []byte("BM\x00\x00\x00\x00"), formatUnknown},
		{"empty", nil, formatUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniff(tt.data); got != tt.want {
				t.Errorf("sniff = %d, want %d", got, tt.want)
			}
		})
	}
}
