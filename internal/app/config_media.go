package app

import (
	"fmt"
	"strconv"

	"github.com/instamern/gram/internal/blob"
)

func init() {
	register(Group{Name: "Media", Rank: 40, Settings: []Setting{
		{Name: "MEDIA_URL", Default: "${DATA_DIR}/media", Meaning: "a local folder (or file://PATH), or s3://BUCKET[/PREFIX]",
			Parse: func(c *Config, v string) error { c.MediaURL = v; return blob.CheckURL(v) }},
		{Name: "S3_ENDPOINT", Meaning: "S3-compatible server URL (empty for AWS)",
			Parse: func(c *Config, v string) error { c.S3.Endpoint = v; return optionalHTTPURL(v) }},
		{Name: "S3_REGION", DefaultDoc: "AWS chain", Meaning: "bucket region",
			Parse: func(c *Config, v string) error { c.S3.Region = v; return nil }},
		{Name: "S3_FORCE_PATH_STYLE", Default: "false", Meaning: "true for most S3-compatible servers",
			Parse: func(c *Config, v string) (err error) { c.S3.ForcePathStyle, err = strconv.ParseBool(v); return err }},
		{Name: "MEDIA_DELIVERY", Default: "public",
			Meaning: "public (bucket/CDN URL), presign (presigned GETs) or proxy (through this server)",
			Parse:   parseDelivery},
		{Name: "MEDIA_PUBLIC_URL", Meaning: "bucket or CDN base URL for public delivery",
			Parse: func(c *Config, v string) error { c.S3.PublicURL = v; return optionalHTTPURL(v) }},
		{Name: "MEDIA_PRESIGN_TTL", Default: "1h", Meaning: "lifetime of presigned URLs",
			Parse: func(c *Config, v string) (err error) { c.S3.PresignTTL, err = parseDuration(v); return err }},
		{Name: "MEDIA_SWEEP_INTERVAL", Default: "3h",
			Meaning: "pause between sweeps of orphaned media; the first comes within a minute of the start",
			Parse:   func(c *Config, v string) (err error) { c.MediaSweep, err = parseDuration(v); return err }},
		{Name: "EXPORT_TTL", Default: "7d",
			Meaning: "how long an account export stays downloadable; then its archive is removed from the media store",
			Parse:   func(c *Config, v string) (err error) { c.ExportTTL, err = parseDuration(v); return err }},
		{Name: "AWS_ACCESS_KEY_ID", Secret: true, Meaning: "read by the AWS SDK (with the shared config and instance roles): S3 and SES credentials"},
		{Name: "AWS_SECRET_ACCESS_KEY", Secret: true, Meaning: "read by the AWS SDK: the secret of AWS_ACCESS_KEY_ID"},
		{Name: "AWS_REGION", Meaning: "read by the AWS SDK: the region when S3_REGION (or ses:REGION) does not name one"},
	}})
}

func parseDelivery(c *Config, v string) error {
	switch v {
	case blob.DeliveryPublic, blob.DeliveryPresign, blob.DeliveryProxy:
		c.S3.Delivery = v
		return nil
	}
	return fmt.Errorf("must be %s, %s or %s, not %q", blob.DeliveryPublic, blob.DeliveryPresign, blob.DeliveryProxy, v)
}
