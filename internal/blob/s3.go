package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/instamern/gram/internal/gram"
)

// Delivery modes: how S3.URL lets a browser load an object.
const (
	// DeliveryPublic returns PublicURL + "/" + key: a public bucket or a CDN.
	DeliveryPublic = "public"
	// DeliveryPresign returns a presigned GET valid for PresignTTL, for
	// private buckets.
	DeliveryPresign = "presign"
	// DeliveryProxy returns AppURL + "/media/" + key; the app streams the
	// object through Get (see Handler). The last resort: every image
	// load then costs the app a request.
	DeliveryProxy = "proxy"
)

// S3Config configures an S3 store. Zero values pick the defaults noted.
type S3Config struct {
	Bucket string // required
	Prefix string // optional key prefix inside the bucket, e.g. "media/"

	Region         string // default: from the AWS chain, else "us-east-1"
	Endpoint       string // override for S3-compatible servers, e.g. "http://127.0.0.1:7070"
	ForcePathStyle bool   // endpoint/bucket/key instead of bucket.endpoint/key

	// Static credentials. When empty the standard AWS chain applies:
	// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, shared config and
	// credentials files (AWS_PROFILE), web identity, ECS and EC2 roles.
	AccessKeyID     string
	SecretAccessKey string

	Delivery   string        // DeliveryPublic (default), DeliveryPresign or DeliveryProxy
	PublicURL  string        // public mode base; default: the bucket's own URL
	AppURL     string        // proxy mode base: the app's public base URL
	PresignTTL time.Duration // presign mode URL lifetime; default 1 hour

	PutTimeout  time.Duration // per Put, retries included; default 30s
	CallTimeout time.Duration // per other call (Get: until the body starts); default 10s
	MaxAttempts int           // per call, first try included; default 3
}

// S3 is a gram.BlobStore on Amazon S3 or any S3-compatible server.
//
// Objects are written with their content type and CacheControl and without
// an ACL (public reads, if any, come from the bucket policy or a CDN).
// Throttling, 5xx and network errors are retried with jittered backoff
// within the call's timeout. Failures other than a missing object are
// returned as an error that gram.ErrorCode reports as EUNAVAILABLE, with a
// client-safe message, and that still wraps the cause for the log.
type S3 struct {
	cfg     S3Config
	client  *s3.Client
	presign *s3.PresignClient
}

var _ gram.BlobStore = (*S3)(nil)

// NewS3 builds the client. It makes no network call, so the app starts
// even when the store is down; the first failing call reports it.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = c.MaxAttempts
				o.MaxBackoff = 5 * time.Second
			})
		}),
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("blob: load AWS config: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.UsePathStyle = c.ForcePathStyle
		// Checksums only where S3 requires them: many S3-compatible
		// servers (older MinIO, R2, ...) reject the SDK's newer defaults.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	c.Region = awsCfg.Region
	return &S3{cfg: c, client: client, presign: s3.NewPresignClient(client)}, nil
}

// withDefaults validates c and fills in its defaults.
func (c S3Config) withDefaults() (S3Config, error) {
	if c.Bucket == "" {
		return c, errors.New("blob: S3 bucket is required")
	}
	if c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	if c.Prefix != "" && checkDeletePrefix(c.Prefix) != nil {
		return c, fmt.Errorf("blob: invalid S3 key prefix %q", c.Prefix)
	}
	switch c.Delivery {
	case "":
		c.Delivery = DeliveryPublic
	case DeliveryPublic, DeliveryPresign:
	case DeliveryProxy:
		if c.AppURL == "" {
			return c, errors.New("blob: S3 proxy delivery needs the app's public URL")
		}
	default:
		return c, fmt.Errorf("blob: unknown media delivery %q (want public, presign or proxy)", c.Delivery)
	}
	c.PresignTTL = cmpOr(c.PresignTTL, time.Hour)
	c.PutTimeout = cmpOr(c.PutTimeout, 30*time.Second)
	c.CallTimeout = cmpOr(c.CallTimeout, 10*time.Second)
	c.MaxAttempts = cmpOr(c.MaxAttempts, 3)
	return c, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// objectKey is the bucket key of the store key.
func (s *S3) objectKey(key string) string { return s.cfg.Prefix + key }

// URL implements gram.BlobStore per the configured Delivery mode.
func (s *S3) URL(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	switch s.cfg.Delivery {
	case DeliveryProxy:
		return mediaURL(s.cfg.AppURL, key), nil
	case DeliveryPresign:
		ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
		defer cancel()
		req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
			Bucket: aws.String(s.cfg.Bucket),
			Key:    aws.String(s.objectKey(key)),
		}, s3.WithPresignExpires(s.cfg.PresignTTL))
		if err != nil {
			return "", s.fail(ctx, "presign", key, err)
		}
		return req.URL, nil
	}
	return strings.TrimSuffix(s.publicBase(), "/") + "/" + escapePath(s.objectKey(key)), nil
}

// publicBase is PublicURL, or else the bucket's own URL in the configured
// addressing style.
func (s *S3) publicBase() string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	if s.cfg.Endpoint == "" {
		return "https://" + s.cfg.Bucket + ".s3." + s.cfg.Region + ".amazonaws.com"
	}
	u, err := url.Parse(s.cfg.Endpoint)
	if err != nil || s.cfg.ForcePathStyle {
		return strings.TrimSuffix(s.cfg.Endpoint, "/") + "/" + s.cfg.Bucket
	}
	u.Host = s.cfg.Bucket + "." + u.Host
	return u.String()
}

// Put buffers r in memory when it cannot seek, because SigV4 over plain
// HTTP signs the payload hash; media bodies are small and already bounded
// by the upload limits.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	body, n, err := seekable(r, size)
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.PutTimeout)
	defer cancel()
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.cfg.Bucket),
		Key:           aws.String(s.objectKey(key)),
		Body:          body,
		ContentLength: aws.Int64(n),
		ContentType:   aws.String(contentType),
		CacheControl:  aws.String(CacheControl),
	})
	if err != nil {
		return s.fail(ctx, "put", key, err)
	}
	return nil
}

// seekable returns r as an io.ReadSeeker and its length, checking it
// against size when size >= 0.
func seekable(r io.Reader, size int64) (io.ReadSeeker, int64, error) {
	if rs, ok := r.(io.ReadSeeker); ok && size >= 0 {
		return rs, size, nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, err
	}
	if size >= 0 && int64(len(data)) != size {
		return nil, 0, fmt.Errorf("read %d bytes, want %d", len(data), size)
	}
	return bytes.NewReader(data), int64(len(data)), nil
}
