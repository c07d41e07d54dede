package gram

import (
	"bytes"
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

// storeImage processes an upload and stores it under the key that keyFor
// returns for the output's extension.
func (s *Service) storeImage(ctx context.Context, r io.Reader, kind ImageKind, keyFor func(ext string) string) (string, error) {
	img, err := s.images.Process(ctx, r, kind)
	if err != nil {
		return "", err
	}
	key := keyFor(img.Ext)
	if err := s.blobs.Put(ctx, key, bytes.NewReader(img.Data), int64(len(img.Data)), img.ContentType); err != nil {
		return "", blobErr(err)
	}
	return key, nil
}

// blobErr keeps a store's client-safe *Error and hides anything else
// behind a clear "unavailable" message.
func blobErr(err error) error {
	if ErrorCode(err) != EINTERNAL {
		return err
	}
	return &Error{Code: EUNAVAILABLE, Message: "Media storage is unavailable. Please try again later."}
}

// deleteBlob removes an object in the background of a finished change;
// a failure leaves an orphan for the sweep and is logged.
func (s *Service) deleteBlob(ctx context.Context, key string) {
	if key == "" {
		return
	}
	ctx, cancel := detach(ctx)
	defer cancel()
	if err := s.blobs.Delete(ctx, key); err != nil {
		s.log.ErrorContext(ctx, "delete media", "key", key, "err", err)
	}
}
