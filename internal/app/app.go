// Package app is the composition root: it reads the configuration from the
// environment (Load) and builds the whole application from it, store,
// media, mail, rate limiter, service and HTTP API, in one place (New). The
// binaries and the API tests all build through it, replacing only what
// they must (Overrides).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/buildinfo"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/media"
	"github.com/instamern/gram/internal/metrics"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
	"github.com/instamern/gram/internal/sqlstore"
)

// Overrides replace parts that New would otherwise build from the Config.
// Zero fields are built; gramd sets only Log.
type Overrides struct {
	Log   *slog.Logger     // nil discards
	Clock func() time.Time // the service's and the mail sender's time; nil is time.Now
	// Store is an open store, which Close leaves open; nil opens
	// DATABASE_URL.
	Store     *sqlstore.Store
	Blobs     gram.BlobStore      // nil opens MEDIA_URL
	Transport gram.Mailer         // nil opens MAIL_URL
	Limiter   ratelimit.Limiter   // nil opens REDIS_URL, or limits in process
	Hasher    *gram.Hasher        // nil is argon2id with OWASP's parameters
	Images    gram.ImageProcessor // nil is the image pipeline with its defaults
	Domains   gram.DomainChecker  // nil is the DNS check when MAIL_CHECK_DOMAIN is on
	// API adjusts the HTTP configuration derived from the Config.
	API func(*api.Config)
}

// App is the built application. Close releases what New opened.
type App struct {
	Config  Config
	Store   *sqlstore.Store
	Blobs   gram.BlobStore // nil after OpenService
	Service *gram.Service
	Handler http.Handler // nil after OpenService

	log     *slog.Logger
	api     *api.Server // Handler, nil after OpenService
	now     func() time.Time
	sender  *mail.Sender
	deleter *blob.Deleter
	public  publicChecker // the media store, when its public URLs need checking
	// metrics and metricsLn are set when METRICS_ADDR is (openMetrics).
	metrics   *metrics.Metrics
	metricsLn net.Listener
	mailCheck *backgroundCheck // the mail transport's readiness, when it has a check
	closers   []func() error
}

// New builds the application from cfg, which it validates, and ov.
func New(ctx context.Context, cfg Config, ov Overrides) (*App, error) {
	return build(ctx, cfg, ov, (*App).wire)
}

// OpenService opens only the store and the service over it, for commands
// that change accounts (gramd admin): the service reaches no media and
// sends no mail, and there is no HTTP handler and no background work.
func OpenService(ctx context.Context, cfg Config, ov Overrides) (*App, error) {
	return build(ctx, cfg, ov, (*App).service)
}

// build validates cfg, opens the store and calls finish; on an error it
// closes what it opened.
func build(ctx context.Context, cfg Config, ov Overrides, finish func(*App, context.Context, Overrides) error) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	a := &App{Config: cfg, log: ov.Log, Store: ov.Store, now: ov.Clock}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	err := a.openStore(ctx)
	if err == nil {
		err = finish(a, ctx, ov)
	}
	if err != nil {
		return nil, errors.Join(err, a.Close())
	}
	return a, nil
}

func (a *App) openStore(ctx context.Context) error {
	if a.Store != nil {
		return nil
	}
	s, err := sqlstore.Open(ctx, a.Config.DatabaseURL, sqlstore.Options{MaxOpenConns: a.Config.DBMaxConns,
		StatementTimeout: a.Config.Timeouts.DBStatement, Synchronous: a.Config.SQLiteSync})
	if err != nil {
		return err
	}
	a.Store = s
	a.onClose(s.Close)
	return nil
}

// service builds the service over the store alone.
func (a *App) service(_ context.Context, ov Overrides) error {
	a.Service = gram.New(a.deps(ov), a.serviceConfig())
	return nil
}

// wire builds everything: the mail sender comes before the service, whose
// queued mail wakes it.
func (a *App) wire(ctx context.Context, ov Overrides) error {
	deps := a.deps(ov)
	var err error
	if deps.Blobs, err = a.openBlobs(ctx, ov.Blobs); err != nil {
		return err // "blob: ..."
	}
	if deps.Mail, err = mail.NewTemplates(mail.Brand{ClientURL: a.Config.ClientURL}); err != nil {
		return err
	}
	if a.sender, err = a.newSender(ov); err != nil {
		return err // "mail: ..."
	}
	deps.MailQueued = a.sender.Wake
	deps.Images = cmpOr(ov.Images, gram.ImageProcessor(media.New(media.Config{DecodeBudget: a.Config.Uploads.DecodeBudget,
		MaxBytes: a.Config.Sizes.Photo})))
	deps.Domains = ov.Domains
	if deps.Domains == nil && a.Config.CheckDomain {
		deps.Domains = &mail.DomainCheck{}
	}
	if err := a.openMetrics(&deps, ov); err != nil {
		return fmt.Errorf("METRICS_ADDR: %w", err)
	}
	a.Blobs = deps.Blobs
	a.deleter = &blob.Deleter{Queue: a.Store, Blobs: a.Blobs, Log: a.log, Backoff: mail.ExpBackoff(time.Minute, time.Hour), Now: ov.Clock}
	a.Service = gram.New(deps, a.serviceConfig())
	limiter, err := a.openLimiter(ctx, ov.Limiter)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	if dir := a.Config.Uploads.TempDir; dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("UPLOAD_TEMP_DIR: %w", err)
		}
	}
	a.api = api.NewServer(a.Service, a.apiConfig(ov.API, limiter), limiter, a.log)
	a.Handler = a.api
	return nil
}

// deps are the service's dependencies that every build has.
func (a *App) deps(ov Overrides) gram.Deps {
	return gram.Deps{Store: a.Store, Hasher: cmpOr(ov.Hasher, gram.NewHasher(gram.OWASPArgon2, 0)), Log: a.log, Clock: ov.Clock}
}

// serviceConfig is the service's part of the Config. The session lives
// as long as its token (JWT_EXPIRES_IN): the API takes it from the service.
func (a *App) serviceConfig() gram.Config {
	return gram.Config{ClientURL: a.Config.ClientURL, PublicURL: a.Config.PublicURL, SessionTTL: a.Config.JWTExpiresIn,
		ExportTTL: a.Config.ExportTTL}
}

func (a *App) openBlobs(ctx context.Context, given gram.BlobStore) (gram.BlobStore, error) {
	if given != nil {
		return given, nil
	}
	c, s3 := a.Config, a.Config.S3
	b, err := blob.Open(ctx, blob.Config{URL: c.MediaURL, AppURL: c.PublicURL, Endpoint: s3.Endpoint, Region: s3.Region,
		ForcePathStyle: s3.ForcePathStyle, Delivery: s3.Delivery, PublicURL: s3.PublicURL, PresignTTL: s3.PresignTTL})
	if err != nil {
		return nil, err
	}
	if pc, ok := b.(publicChecker); ok && s3.Delivery == blob.DeliveryPublic {
		a.public = pc
	}
	return b, nil
}

func (a *App) newSender(ov Overrides) (*mail.Sender, error) {
	transport := ov.Transport
	if transport == nil {
		var err error
		transport, err = mail.Open(a.Config.MailURL, mail.Options{From: a.Config.MailFrom, SESEndpoint: a.Config.SESEndpoint, Logger: a.log})
		if err != nil {
			return nil, err
		}
	}
	return &mail.Sender{Store: a.Store, Transport: transport, Log: a.log, MaxAttempts: a.Config.MailAttempts,
		Workers: a.Config.MailWorkers, Lease: a.Config.MailLease,
		Backoff: mail.ExpBackoff(a.Config.MailRetryMin, time.Hour), Now: ov.Clock}, nil
}

func (a *App) openLimiter(ctx context.Context, given ratelimit.Limiter) (ratelimit.Limiter, error) {
	if given != nil {
		return given, nil
	}
	l, closeLimiter, err := redislimit.Open(ctx, redislimit.Options{URL: a.Config.RedisURL, Timeout: a.Config.RedisTimeout, Log: a.log})
	if err != nil {
		return nil, err
	}
	a.onClose(func() error { closeLimiter(); return nil })
	return l, nil
}

// apiConfig is the HTTP part of the Config, with the readiness checks of
// the dependencies wired (limiter is the rate limiter's), then adjust.
func (a *App) apiConfig(adjust func(*api.Config), limiter ratelimit.Limiter) api.Config {
	c, l := a.Config, a.Config.Limits
	ac := api.Config{Production: c.Production(), TLS: c.TLSCertFile != "", CORSOrigins: c.CORSOrigins, JWTSecrets: c.JWTSecrets,
		LegacyTokens: c.LegacyTokens,
		SignupLimit:  l.Signup, LoginLimit: l.Login, ResetLimit: l.Reset, AccountLimit: l.Account, WriteLimit: l.Write, ReadLimit: l.Read,
		LoginFails: l.LoginFails, LoginIPFails: l.LoginIPFails, ResetMails: l.ResetMails, ExportLimit: l.Export,
		TrustedProxies: l.TrustedProxies, ForwardedHeader: l.ForwardedHeader, Media: blob.Handler(a.Blobs),
		SNSTopicARN: c.SNSTopicARN, Instance: c.InstanceName, RequestTimeout: c.Timeouts.Request, UploadTimeout: c.Timeouts.Upload,
		Uploads:      api.UploadLimits{MaxConcurrent: c.Uploads.MaxConcurrent, PerAccount: c.Uploads.PerAccount, TempDir: c.Uploads.TempDir},
		MaxBodyBytes: c.Sizes.JSON, MaxUpload: uploadBodyLimit(c.Sizes.Photo), Version: buildinfo.Get().Version}
	if a.metrics != nil {
		ac.Observer = a.metrics
	}
	ac.Checks, a.mailCheck = readinessChecks(a.Blobs, a.sender.Transport, limiter, c.RedisURL)
	if adjust != nil {
		adjust(&ac)
	}
	return ac
}

// uploadBodyLimit is the limit of an upload's whole multipart body: the
// photo, and a mebibyte for the text fields and the part headers.
func uploadBodyLimit(photo int64) int64 {
	if photo <= 0 {
		return 0 // the API's default
	}
	return photo + mib
}

func (a *App) onClose(f func() error) { a.closers = append(a.closers, f) }

// Close releases what New opened, last opened first: the rate limiter's
// connections and the store (unless Overrides gave it). It first waits
// for the work the service runs off the request path, which needs the
// store; call it after the HTTP server has shut down.
func (a *App) Close() error {
	if a.Service != nil {
		a.Service.Wait()
	}
	var errs []error
	for _, f := range slices.Backward(a.closers) {
		errs = append(errs, f())
	}
	a.closers = nil
	return errors.Join(errs...)
}
