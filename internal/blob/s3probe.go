package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// ErrNotPublic reports that an object the store wrote cannot be loaded
// through its public URL without credentials, so that every media URL of
// public delivery is broken for browsers.
var ErrNotPublic = errors.New("media URLs are not publicly readable")

// probePrefix holds the objects CheckPublic writes; the media sweep, which
// walks "users/", never sees them.
const probePrefix = "_probe/"

// CheckPublic tells whether public delivery works: it writes a small
// object under "_probe/", loads its URL with one unsigned GET through
// client, as a browser would, and deletes it (best effort). The key is
// new on every call, because keys are never reused (a CDN may cache one
// forever) and two replicas starting at once must not delete each other's
// probe.
//
// It returns nil when the GET answers 200 with the probe's bytes, or when
// the delivery mode is not public (presigned and proxied URLs carry their
// own access); an error wrapping ErrNotPublic, naming the URL and the
// answer, when the GET fails or is refused; any other error when the probe
// could not be written.
func (s *S3) CheckPublic(ctx context.Context, client *http.Client) error {
	if s.cfg.Delivery != DeliveryPublic {
		return nil
	}
	key := probePrefix + "public-check-" + rand.Text() + ".txt"
	body := []byte("gram public media check\n")
	if err := s.Put(ctx, key, bytes.NewReader(body), int64(len(body)), "text/plain; charset=utf-8"); err != nil {
		return fmt.Errorf("write probe object: %w", err)
	}
	// Best effort, also when ctx ended: a leftover probe is harmless.
	defer func() { _ = s.Delete(context.WithoutCancel(ctx), key) }()
	u, err := s.URL(ctx, key)
	if err != nil {
		return err
	}
	return loadPublic(ctx, client, u, body)
}

// loadPublic GETs u without credentials and wants 200 and body.
func loadPublic(ctx context.Context, client *http.Client, u string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotPublic, u, err)
	}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %v", ErrNotPublic, u, err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(io.LimitReader(res.Body, 4096))
	switch {
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("%w: GET %s answered %s", ErrNotPublic, u, res.Status)
	case err != nil:
		return fmt.Errorf("%w: GET %s: %v", ErrNotPublic, u, err)
	case !bytes.Equal(got, body):
		return fmt.Errorf("%w: GET %s answered 200 with other content", ErrNotPublic, u)
	}
	return nil
}
