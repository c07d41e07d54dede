package blob_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/blob/blobtest"
	"github.com/instamern/gram/internal/gram"
)

// publicConfig is s3Config on a second bucket whose policy allows
// anonymous GetObject, in public delivery.
func publicConfig(t *testing.T) blob.S3Config {
	t.Helper()
	c := s3Config(t)
	c.Bucket += "-public"
	c.Delivery = blob.DeliveryPublic
	blobtest.PublicBucket(t, c)
	return c
}

// TestS3_PublicMode runs the suite with public URLs against the public
// bucket, the way a public bucket (or a CDN origin) is set up in
// production. The store itself sets no ACL.
func TestS3_PublicMode(t *testing.T) {
	t.Parallel()
	c := publicConfig(t)
	blobtest.Run(t, func(t *testing.T) gram.BlobStore {
		c := c
		c.Prefix = "test-" + randomHex(t) + "/"
		return newS3(t, c)
	})
}

// TestS3_CheckPublic: the probe passes on the public bucket, is refused
// (ErrNotPublic, naming the 403) on the private test bucket, is skipped
// for presigned delivery, and leaves no object behind.
func TestS3_CheckPublic(t *testing.T) {
	t.Parallel()
	client := &http.Client{Timeout: 5 * time.Second}
	private := s3Config(t)
	private.Delivery = blob.DeliveryPublic
	presign := s3Config(t)
	for name, tc := range map[string]struct {
		c    blob.S3Config
		want error
	}{
		"Public":  {publicConfig(t), nil},
		"Private": {private, blob.ErrNotPublic},
		"Presign": {presign, nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newS3(t, tc.c)
			err := s.CheckPublic(t.Context(), client)
			if !errors.Is(err, tc.want) {
				t.Fatalf("CheckPublic = %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "403") {
				t.Errorf("CheckPublic = %v, want it to name the 403", err)
			}
			if left, err := s.List(t.Context(), ""); err != nil || len(left) != 0 {
				t.Errorf("after CheckPublic the prefix holds %v (%v), want nothing", left, err)
			}
		})
	}
}
