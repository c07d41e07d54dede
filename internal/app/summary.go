package app

import (
	"log/slog"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/buildinfo"
	"github.com/instamern/gram/internal/mail"
)

// Summary is what the startup line says about the configuration: the
// version, and which database, media store (and how browsers get media),
// mail transport and client it uses. It holds no secret: URLs are not
// logged past what names their kind.
func (c Config) Summary() []slog.Attr {
	backend, _ := DatabaseBackend(c.DatabaseURL)
	media, delivery := blob.Kind(c.MediaURL), c.S3.Delivery
	if media != "s3" {
		media, delivery = "disk", "proxy" // served by this server under /media
	}
	return []slog.Attr{
		slog.String("version", buildinfo.Get().Version),
		slog.String("env", c.Env),
		slog.String("database", backend),
		slog.String("media", media),
		slog.String("media_delivery", delivery),
		slog.String("mail", mail.Transport(c.MailURL)),
		slog.String("client_url", RedactURL(c.ClientURL)),
		slog.String("public_url", RedactURL(c.PublicURL)),
		slog.Bool("redis", c.RedisURL != ""),
	}
}
