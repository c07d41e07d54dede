package gram

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Config holds the service's tunables. Zero values mean the defaults.
type Config struct {
	ClientURL  string        // base of links in emails; default https://instamern.netlify.app
	PublicURL  string        // base of this API, for links to it in emails; default http://localhost:8080
	SessionTTL time.Duration // lifetime of a login; default 90 days
	ResetTTL   time.Duration // lifetime of a reset link; default 10 minutes
	ConfirmTTL time.Duration // lifetime of an email-change confirmation link; default 24 hours
	ListCap    int           // cap of legacy arrays (likes, followers, posts); default 1000
	FeedLimit  int           // default page size of the feed; default 15
	MaxLimit   int           // largest page a client may ask for; default 100
	ExportTTL  time.Duration // how long an account export stays downloadable; default 7 days
}

func (c Config) withDefaults() Config {
	if c.ClientURL == "" {
		c.ClientURL = "https://instamern.netlify.app"
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 90 * 24 * time.Hour
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://localhost:8080"
	}
	if c.ConfirmTTL <= 0 {
		c.ConfirmTTL = 24 * time.Hour
	}
	if c.ResetTTL <= 0 {
		c.ResetTTL = 10 * time.Minute
	}
	if c.ListCap <= 0 {
		c.ListCap = 1000
	}
	if c.FeedLimit <= 0 {
		c.FeedLimit = 15
	}
	if c.ExportTTL <= 0 {
		c.ExportTTL = 7 * 24 * time.Hour
	}
	if c.MaxLimit <= 0 {
		c.MaxLimit = 100
	}
	return c
}

// Service implements the use cases. It owns ids, time, validation and
// permissions; the adapters it holds only persist and deliver.
type Service struct {
	store   Store
	blobs   BlobStore
	images  ImageProcessor
	mail    MailRenderer
	hasher  *Hasher
	domains DomainChecker
	log     *slog.Logger
	clock   func() time.Time
	wake    func()
	cfg     Config
	offPath *offPath
}

// Deps are the adapters a Service works through. Store and Hasher are
// required. Blobs, Images and Mail may be nil only for a service that
// never reaches media or mail (the admin CLI); the others are optional.
type Deps struct {
	Store  Store
	Blobs  BlobStore
	Images ImageProcessor
	Mail   MailRenderer
	Hasher *Hasher
	// Domains, when set, checks that the domain of a new address (signup,
	// change of email) can receive mail.
	Domains DomainChecker
	Log     *slog.Logger     // nil discards
	Clock   func() time.Time // nil is time.Now
	// MailQueued, when set, is called after mail is put in the outbox, so
	// a sender can deliver it now rather than at its next poll.
	MailQueued func()
}

// New returns a service working through d, with cfg's zero fields set to
// their defaults. Nothing is set on it afterwards.
func New(d Deps, cfg Config) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
	return &Service{store: d.Store, blobs: d.Blobs, images: d.Images, mail: d.Mail, hasher: d.Hasher,
		domains: d.Domains, log: d.Log, clock: d.Clock, wake: d.MailQueued, cfg: cfg.withDefaults(), offPath: newOffPath()}
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// Ping reports whether the store answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// MediaURL returns the absolute URL a browser loads the object key from.
func (s *Service) MediaURL(ctx context.Context, key string) (string, error) {
	if ExternalMedia(key) {
		return key, nil
	}
	return s.blobs.URL(ctx, key)
}

// now is the current time in UTC, truncated to the millisecond that every
// backend keeps.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// storeErr turns store sentinels into client errors: ErrNotFound into
// ENOTFOUND with notFound, ErrConflict into ECONFLICT with conflict, the
// message of the noun the store call writes (msgPostExists for a post).
// Other errors pass through (and become internal).
func storeErr(err error, notFound, conflict string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return Errorf(ENOTFOUND, "%s", notFound)
	case errors.Is(err, ErrConflict):
		return Errorf(ECONFLICT, "%s", conflict)
	}
	return err
}

// mailQueued tells the sender that the outbox has new mail.
func (s *Service) mailQueued() {
	if s.wake != nil {
		s.wake()
	}
}

// detach returns a context for clean-up work that must finish even when
// the request that started it is cancelled.
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}
