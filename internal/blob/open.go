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
	if err := CheckURL(c.URL); err != nil {
		return nil, fmt.Errorf("blob: media URL: %w", err)
	}
	switch Kind(c.URL) {
	case "s3":
		return openS3(ctx, c)
	case "file":
		u, _ := url.Parse(c.URL) // CheckURL parsed it
		return NewDisk(u.Host+u.Path, c.AppURL)
	}
	return NewDisk(c.URL, c.AppURL)
}

// urlForms is what a media URL may be, for error messages.
const urlForms = "want a folder path, file://PATH or s3://BUCKET[/PREFIX]"

// Kind is the store a media URL names: "s3", "file" (file://PATH) or
// "disk" (a plain path).
func Kind(mediaURL string) string {
	scheme, ok := urlScheme(mediaURL)
	if !ok {
		return "disk"
	}
	return scheme
}

// CheckURL reports what is wrong with a media URL, without contacting
// anything. Its errors name neither the package nor the variable.
func CheckURL(mediaURL string) error {
	scheme, ok := urlScheme(mediaURL)
	if !ok {
		return nil
	}
	if scheme != "s3" && scheme != "file" {
		return fmt.Errorf("unknown scheme %q: %s", scheme, urlForms)
	}
	u, err := url.Parse(mediaURL)
	switch {
	case err != nil || !strings.HasPrefix(mediaURL[len(scheme):], "://"):
		return fmt.Errorf("%q is malformed: %s", mediaURL, urlForms)
	case scheme == "s3" && u.Host == "":
		return fmt.Errorf("%q names no bucket: s3://BUCKET[/PREFIX]", mediaURL)
	case scheme == "file" && u.Host+u.Path == "":
		return fmt.Errorf("%q names no folder: file://PATH", mediaURL)
	}
	return nil
}

// urlScheme returns the lower-cased scheme of a URL-like value: letters,
// digits, '+', '-' or '.' before a colon, at least two of them so that a
// Windows drive letter stays a path.
func urlScheme(s string) (string, bool) {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || len(scheme) < 2 || strings.ContainsFunc(scheme, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '+' || r == '-' || r == '.')
	}) {
		return "", false
	}
	return strings.ToLower(scheme), true
}

func openS3(ctx context.Context, c Config) (*S3, error) {
	u, _ := url.Parse(c.URL) // CheckURL parsed it
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
