// Package api serves the InstaMERN HTTP API (the original's wire contract) over the gram
// service: every route is in routes.go; handlers decode, call one use
// case, and encode the contract's JSON envelope, or return their error,
// which errors.go maps to a status and writes, the same way for every
// route.
package api

import (
	"cmp"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/sns"
)

// Config is what the HTTP layer needs to know.
type Config struct {
	Production   bool           // secure cookies (SameSite=None) and HSTS
	TLS          bool           // served over HTTPS by this process: HSTS and secure cookies too
	CORSOrigins  []string       // exact origins allowed to call with credentials
	JWTSecrets   []string       // the first signs; all verify (rotation)
	LegacyTokens bool           // accept the original server's tokens (no session claim): see gram.Service.LegacySession
	MaxBodyBytes int64          // JSON bodies; default 1 MiB
	MaxUpload    int64          // multipart uploads; default 20 MiB + slack
	SignupLimit  ratelimit.Rule // per-IP limit on signups
	LoginLimit   ratelimit.Rule // per-IP limit on login attempts, per account: one account's do not spend another's
	ResetLimit   ratelimit.Rule // per-IP limit on forgot-password and reset-password
	AccountLimit ratelimit.Rule // per-IP and per-user limit on change email or password, confirm email, deactivate, delete
	WriteLimit   ratelimit.Rule // per-IP and per-user limit on other writes
	ReadLimit    ratelimit.Rule // per-IP and per-user limit on reads (not health checks or media)
	LoginFails   ratelimit.Rule // failed logins per account (any IP)
	LoginIPFails ratelimit.Rule // failed logins per IP (any account)
	ResetMails   ratelimit.Rule // password-reset requests per email address (any IP)
	ExportLimit  ratelimit.Rule // account exports asked for per user
	// TrustedProxies are the peers whose forwarding header is believed;
	// ForwardedHeader is that header: "X-Forwarded-For" (default) or "Forwarded".
	TrustedProxies  []netip.Prefix
	ForwardedHeader string
	// Media serves GET /media/{key...} (blob.Handler), nil when media is
	// elsewhere; what it returns is answered like a handler's error.
	Media func(http.ResponseWriter, *http.Request) error
	// SNSTopicARN, when set, enables POST /instamern/webhooks/ses for SES
	// bounce and complaint notifications of that topic, checked by SNS
	// (nil means an sns.Verifier trusting only SNS hosts).
	SNSTopicARN string
	SNS         SNSVerifier
	// RequestTimeout is the deadline of a request (default 5 s), and
	// UploadTimeout (default 60 s) of one that moves a file: an upload, or
	// a media download. Past it the request is answered 503.
	RequestTimeout, UploadTimeout time.Duration
	// Uploads bounds the photo uploads in flight.
	Uploads UploadLimits
	// Version is the server's version, shown by /healthz.
	Version string
	// Instance, when set, names this replica in the X-Gram-Instance
	// header of every response, so that an operator (or a test) behind a
	// load balancer can tell which replica answered.
	Instance string
	// Observer hears of every request and rate-limit refusal; nil is none.
	Observer Observer
	// Checks are the dependencies /readyz checks besides the database.
	Checks []Check
}

// Server is the HTTP API.
type Server struct {
	svc     *gram.Service
	cfg     Config
	log     *slog.Logger
	tokens  *tokens
	limiter ratelimit.Limiter
	uploads *uploadSlots
	handler http.Handler
	// fileRoutes are the patterns of the routes that move a file.
	fileRoutes map[string]bool
	// patterns are the patterns of every route, in registration order.
	patterns []string
	draining atomic.Bool // set by Drain
}

// NewServer builds the API around svc. limiter may be nil (in-process).
// A token and its cookie live as long as the session they carry
// (svc.Config().SessionTTL).
func NewServer(svc *gram.Service, cfg Config, limiter ratelimit.Limiter, log *slog.Logger) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 21 << 20
	}
	cfg.RequestTimeout = cmp.Or(cfg.RequestTimeout, 5*time.Second)
	cfg.UploadTimeout = cmp.Or(cfg.UploadTimeout, time.Minute)
	if limiter == nil {
		limiter = ratelimit.NewMemory(nil)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.SNS == nil {
		cfg.SNS = &sns.Verifier{}
	}
	cfg.Uploads = cfg.Uploads.withDefaults()
	if cfg.Observer == nil {
		cfg.Observer = noObserver{}
	}
	s := &Server{svc: svc, cfg: cfg, log: log, tokens: newTokens(cfg.JWTSecrets, svc.Config().SessionTTL), limiter: limiter,
		uploads: newUploadSlots(cfg.Uploads), fileRoutes: map[string]bool{}}
	s.tokens.legacy = cfg.LegacyTokens
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.middleware(mux)
	return s
}

// ServeHTTP serves one request.
//
// While draining, every response closes its connection, so that a client
// or balancer opens its next one elsewhere instead of finding this one
// closed under it when the server stops.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() && r.ProtoMajor == 1 { // HTTP/2 has GOAWAY, which Shutdown sends
		w.Header().Set("Connection", "close")
	}
	s.handler.ServeHTTP(w, r)
}
