package gram

import (
	"bytes"
	"context"
	"io"
	"time"
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
// returns for the output's extension. A failed write is queued for
// deletion after lateWriteGrace: a write that timed out here may still
// complete in the blob store, and nothing will ever reference it.
func (s *Service) storeImage(ctx context.Context, r io.Reader, kind ImageKind, keyFor func(ext string) string) (string, error) {
	img, err := s.images.Process(ctx, r, kind)
	if err != nil {
		return "", err
	}
	key := keyFor(img.Ext)
	if err := s.blobs.Put(ctx, key, bytes.NewReader(img.Data), int64(len(img.Data)), img.ContentType); err != nil {
		s.queueBlob(ctx, s.now().Add(lateWriteGrace), key)
		return "", blobErr(err)
	}
	return key, nil
}

// lateWriteGrace is how long after a failed write its object is deleted:
// longer than a write the blob store accepted before the failure can
// take to land. One that lands later still is the orphan sweep's.
const lateWriteGrace = 15 * time.Minute

// inlineDeleteTimeout bounds the removal that a change attempts at once;
// whatever it leaves is the deleter's (blob.Deleter).
const inlineDeleteTimeout = 5 * time.Second

// blobErr keeps a store's client-safe *Error and hides anything else
// behind a clear "unavailable" message.
func blobErr(err error) error {
	if ErrorCode(err) != EINTERNAL {
		return err
	}
	return &Error{Code: EUNAVAILABLE, Message: "Media storage is unavailable. Please try again later."}
}

// removeQueued removes media whose deletion is queued (an object, or a
// prefix ending in "/") at once, in the background of a finished change,
// and drops it from the queue when the blob store confirms. A failure is
// logged and left to the deleter, which retries until it succeeds.
func (s *Service) removeQueued(ctx context.Context, key string) {
	if key == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), inlineDeleteTimeout)
	defer cancel()
	if err := RemoveBlob(ctx, s.blobs, key); err != nil {
		s.log.WarnContext(ctx, "delete media: left to the deletion queue", "key", key, "err", err)
		return
	}
	if err := s.store.BlobDeleted(ctx, key); err != nil {
		s.log.WarnContext(ctx, "delete media: deleted but still queued", "key", key, "err", err)
	}
}

// discardUpload removes the object of an upload whose row was never
// written: it queues the key, then tries at once.
func (s *Service) discardUpload(ctx context.Context, key string) {
	s.queueBlob(ctx, s.now(), key)
	s.removeQueued(ctx, key)
}

// queueBlob queues key for deletion at at. A failure is logged: the
// object is then an orphan for the sweep (blob.Sweep).
func (s *Service) queueBlob(ctx context.Context, at time.Time, key string) {
	ctx, cancel := detach(ctx)
	defer cancel()
	if err := s.store.QueueBlobDeletions(ctx, at, key); err != nil {
		s.log.ErrorContext(ctx, "queue media deletion", "key", key, "err", err)
	}
}
