package media

import (
	"fmt"

	"github.com/instamern/gram/internal/gram"
)

// Client-facing messages. They are part of the API's observable behaviour,
// so tests compare them literally.
const (
	msgUnsupported = "Unsupported image type. Please upload a JPEG, PNG, WebP or GIF image."
	msgHEIC        = "HEIC is not supported by this server build. Please upload a JPEG, PNG, WebP or GIF image."
	msgAVIF        = "AVIF is not supported by this server build. Please upload a JPEG, PNG, WebP or GIF image."
	msgBroken      = "The image file is broken or incomplete."
	msgEmpty       = "No image data."
	msgUnreadable  = "The image upload could not be read."
	msgBusy        = "The server is busy processing photos. Please try again shortly."
)

func errUnsupported() error { return gram.Errorf(gram.EUNSUPPORTED, msgUnsupported) }
func errHEIC() error        { return gram.Errorf(gram.EUNSUPPORTED, msgHEIC) }
func errAVIF() error        { return gram.Errorf(gram.EUNSUPPORTED, msgAVIF) }
func errBroken() error      { return gram.Errorf(gram.EINVALID, msgBroken) }
func errEmpty() error       { return gram.Errorf(gram.EINVALID, msgEmpty) }
func errUnreadable() error  { return gram.Errorf(gram.EINVALID, msgUnreadable) }

// errBusy reports an upload that waited MaxWait for memory or a slot.
func errBusy() error {
	return &gram.Error{Code: gram.EUNAVAILABLE, Message: msgBusy, RetryAfter: busyRetry}
}

// errTooManyBytes reports an upload over the byte limit, stated in whole
// megabytes when the limit is at least one.
func errTooManyBytes(limit int64) error {
	return gram.Errorf(gram.ETOOLARGE, "The image is too large. The maximum is %s.", byteSize(limit))
}

// errTooManyPixels reports dimensions over the pixel or side limit.
func errTooManyPixels(maxPixels int) error {
	return gram.Errorf(gram.ETOOLARGE,
		"The image dimensions are too large. The maximum is %s.", pixelCount(maxPixels))
}

func byteSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func pixelCount(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%d pixels", n)
}
