package media

import (
	"bytes"
	"context"
	"testing"

	"golang.org/x/image/draw"

	"github.com/instamern/gram/internal/gram"
)

// BenchmarkProcess measures a 12 MP (4000x3000) camera-sized JPEG through
// each variant; decoding the source dominates.
func BenchmarkProcess(b *testing.B) {
	src := encJPEG(b, photoImage(4000, 3000))
	p := New(Config{})
	for _, bc := range []struct {
		name string
		kind gram.ImageKind
	}{
		{"post", gram.ImagePost},
		{"story", gram.ImageStory},
		{"avatar", gram.ImageAvatar},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := p.Process(context.Background(), bytes.NewReader(src), bc.kind); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStages splits the post variant into its steps, to see where the
// time goes.
func BenchmarkStages(b *testing.B) {
	src := encJPEG(b, photoImage(4000, 3000))
	cfg, err := checkHeader(bytes.NewReader(src), formatJPEG, DefaultMaxPixels)
	if err != nil {
		b.Fatal(err)
	}
	m, err := decode(src, formatJPEG, cfg)
	if err != nil {
		b.Fatal(err)
	}
	t := targets[gram.ImagePost]
	out := transform(m, 1, t)
	p := New(Config{})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = decode(src, formatJPEG, cfg)
		}
	})
	for _, k := range []struct {
		name string
		s    draw.Scaler
	}{{"CatmullRom", draw.CatmullRom}, {"BiLinear", draw.BiLinear}, {"ApproxBiLinear", draw.ApproxBiLinear}} {
		b.Run("transform/"+k.name, func(b *testing.B) {
			defer func(s draw.Scaler) { kernel = s }(kernel)
			kernel = k.s
			b.ReportAllocs()
			for b.Loop() {
				transform(m, 1, t)
			}
		})
	}
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = p.encode(out)
		}
	})
}
