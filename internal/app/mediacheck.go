package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/blob"
)

// publicChecker is a media store that can test its public URLs (blob.S3).
type publicChecker interface {
	CheckPublic(ctx context.Context, client *http.Client) error
}

// Bounds of the public media check: the whole check (the probe's write
// with retries, the GET, the delete), and the GET alone.
const (
	publicCheckTimeout = 45 * time.Second
	publicGetTimeout   = 5 * time.Second
)

// notPublicFix is the warning for public URLs that a browser cannot load:
// it names the three ways out.
const notPublicFix = "media: public media URLs cannot be loaded without credentials, so browsers will not show " +
	"avatars, posts or stories; give the bucket a policy that allows anonymous s3:GetObject on the media prefix, " +
	"or set MEDIA_PUBLIC_URL to a public base (a CDN) that serves the bucket, or set MEDIA_DELIVERY=presign"

// CheckPublicMedia runs once, in the background, so that a slow or
// unreachable store never delays serving: with an S3 store in public
// delivery it writes an object, loads its URL unsigned and, when that
// fails, logs a warning that names the fixes. It never stops the server.
func (a *App) CheckPublicMedia(ctx context.Context) {
	if a.public == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, publicCheckTimeout)
	defer cancel()
	err := a.public.CheckPublic(ctx, &http.Client{Timeout: publicGetTimeout})
	switch {
	case errors.Is(err, blob.ErrNotPublic):
		a.log.Warn(notPublicFix, "err", err)
	case err != nil && ctx.Err() == nil:
		a.log.Warn("media: could not check that public media URLs load", "err", err)
	case err == nil:
		a.log.Info("media: public media URLs load without credentials")
	}
}
