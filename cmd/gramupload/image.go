package main

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
)

// openImage opens the image at path, generating it first when it is
// missing.
func openImage(path string, w, h int, log io.Writer) (*os.File, error) {
	if _, err := os.Stat(path); os.IsNotExist(err) {
		fmt.Fprintf(log, "generating %s\n", path)
		if err := writeNoisyPNG(path, w, h); err != nil {
			return nil, err
		}
		// Hand the generator's memory back, so that it is not counted.
		runtime.GC()
		debug.FreeOSMemory()
	}
	return os.Open(path)
}

// writeNoisyPNG writes an opaque w x h PNG whose size is about w*h bytes
// (19.95 MB for 5000x4000): 13 rows in 40 are random noise, which deflate
// cannot shrink, the others a gradient, which it nearly removes. It
// decodes to w*h*4 bytes, as a photo's worth of pixels does.
func writeNoisyPNG(path string, w, h int) error {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := range w {
			px := row[4*x : 4*x+4]
			if y%40 < 13 {
				v := rng.Uint32()
				px[0], px[1], px[2] = uint8(v), uint8(v>>8), uint8(v>>16)
			} else {
				px[0], px[1], px[2] = uint8(x), uint8(y), uint8(x+y)
			}
			px[3] = 0xFF
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(bw, m); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
