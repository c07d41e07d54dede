package gram

import (
	"context"
	"io"
)

// ImageKind selects the output geometry of the image pipeline.
type ImageKind int

// Image kinds and their output geometry.
const (
	ImagePost   ImageKind = iota + 1 // 1080x1350, cover (centre crop)
	ImageStory                       // 1080x1920, contain (letterbox on black)
	ImageAvatar                      // 320x320, cover
)

// Image is a processed image, ready to store.
type Image struct {
	Data        []byte
	ContentType string // e.g. "image/jpeg"
	Ext         string // file extension without dot, e.g. "jpg"
	Width       int
	Height      int
}

// ImageProcessor turns an upload into a stored variant: it sniffs the real
// type, enforces byte and pixel limits before decoding, applies EXIF
// orientation, resizes for the kind, strips all metadata and encodes.
// Bad input is reported as an *Error with code EINVALID, EUNSUPPORTED or
// ETOOLARGE and a readable message.
type ImageProcessor interface {
	Process(ctx context.Context, r io.Reader, kind ImageKind) (*Image, error)
}
