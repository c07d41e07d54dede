package blob

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Config selects and configures a blob store. The suggested environment
// variables (mapped by cmd/gramd) are noted per field.
//
// Examples:
//
//	MEDIA_URL=./data/media                    local folder (the default)
//	MEDIA_URL=s3://my-bucket/media            AWS S3; region and keys from the AWS chain
//	MEDIA_URL=s3://gram S3_ENDPOINT=http://127.0.0.1:7070 S3_FORCE_PATH_STYLE=true
//	                                          an S3-compatible server (versitygw, MinIO, ...)
type Config struct {
	// URL picks the store (MEDIA_URL): "" or a path or "file://PATH" for
	// Disk; "s3://BUCKET[/PREFIX]" for S3.
	URL string
	// AppURL is the app's own public base URL, e.g. "http://localhost:8080"
	// (the server's public-URL setting). Disk and S3 proxy mode build
	// AppURL + "/media/" + key, which the app serves with Handler.
	AppURL string

	Endpoint       string        // S3_ENDPOINT: S3-compatible server URL; empty for AWS
	Region         string        // S3_REGION (or AWS_REGION through the AWS chain)
	ForcePathStyle bool          // S3_FORCE_PATH_STYLE=true for most S3-compatible servers
	Delivery       string        // MEDIA_DELIVERY: public (default), presign or proxy
	PublicURL      string        // MEDIA_PUBLIC_URL: bucket or CDN base for public mode
	PresignTTL     time.Duration // MEDIA_PRESIGN_TTL, e.g. "1h"; presign mode URL lifetime

	// Static S3 keys; normally empty so that AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY, shared config or an instance role apply.
	AccessKeyID     string
	SecretAccessKey string
}

// Open returns the store c.URL names. It does not contact S3.
func Open(ctx context.Context, c Config) (gram.BlobStore, error) {
	switch {
	case strings.HasPrefix(c.URL, "s3://"):
		return openS3(ctx, c)
	case strings.HasPrefix(c.URL, "file://"):
		u, err := url.Parse(c.URL)
		if err != nil {
			return nil, fmt.Errorf("blob: bad media URL: %w", err)
		}
		return NewDisk(u.Host+u.Path, c.AppURL)
	case strings.Contains(c.URL, "://"):
		return nil, fmt.Errorf("blob: unsupported media URL %q (want a path, file:// or s3://)", c.URL)
	}
	return NewDisk(c.URL, c.AppURL)
}

func openS3(ctx context.Context, c Config) (*S3, error) {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("blob: bad media URL %q (want s3://bucket/prefix)", c.URL)
	}
	return NewS3(ctx, S3Config{
		Bucket:          u.Host,
		Prefix:          strings.TrimPrefix(u.Path, "/"),
		Region:          c.Region,
		Endpoint:        c.Endpoint,
		ForcePathStyle:  c.ForcePathStyle,
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		Delivery:        c.Delivery,
		PublicURL:       c.PublicURL,
		AppURL:          c.AppURL,
		PresignTTL:      c.PresignTTL,
	})
}
