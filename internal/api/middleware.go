package api

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// middleware wraps the mux once: outermost first.
func (s *Server) middleware(mux *http.ServeMux) http.Handler {
	var h http.Handler = s.jsonMisses(mux)
	h = s.deadline(mux, h)
	h = s.cors(h)
	h = s.securityHeaders(h)
	h = trimSlash(h)
	h = s.recoverPanics(h)
	h = s.accessLog(h)
	return s.instanceHeader(withRequestID(h))
}

// instanceHeader names the replica that answers (Config.Instance).
func (s *Server) instanceHeader(h http.Handler) http.Handler {
	if s.cfg.Instance == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Gram-Instance", s.cfg.Instance)
		h.ServeHTTP(w, r)
	})
}

// withRequestID gives every request an id (a sane incoming X-Request-Id
// is kept, so ids follow a request through a proxy) and echoes it.
func withRequestID(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool { return c <= ' ' || c > '~' }) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog logs one line per request and tells the Observer. It logs
// the route pattern rather than the path, because paths can carry secrets
// (reset tokens).
func (s *Server) accessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		r, route := withRouteNote(r)
		end := s.cfg.Observer.Begin()
		// Deferred, so that a request aborted by a panic still ends.
		defer func() { end(*route, r.Method, cmp.Or(sw.status, http.StatusOK)) }()
		h.ServeHTTP(sw, r)
		s.log.InfoContext(r.Context(), "request", "request_id", requestID(r.Context()), "method", r.Method,
			"route", cmp.Or(*route, "(unmatched)"), "status", sw.status, "bytes", sw.size, "ms", time.Since(start).Milliseconds(), "ip", s.clientIP(r))
	})
}

// recoverPanics turns a panic into a logged 500 error envelope.
func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// trimSlash makes a trailing slash optional on every route, as Express
// did: the client calls "/instamern/stories/" and "/instamern/users/".
func trimSlash(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r.URL.Path = strings.TrimRight(p, "/")
			if r.URL.Path == "" {
				r.URL.Path = "/"
			}
			r.URL.RawPath = ""
		}
		h.ServeHTTP(w, r)
	})
}

// securityHeaders sets the helmet-equivalent headers. Resources are
// cross-origin readable (CORP) because the client, on another site, loads
// our media in <img> tags.
func (s *Server) securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "cross-origin")
		hd.Set("Origin-Agent-Cluster", "?1")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-DNS-Prefetch-Control", "off")
		hd.Set("X-Download-Options", "noopen")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Permitted-Cross-Domain-Policies", "none")
		hd.Set("X-XSS-Protection", "0")
		if s.cfg.Production || s.cfg.TLS {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.ServeHTTP(w, r)
	})
}

// jsonMisses answers unmatched paths and wrong methods with the JSON fail
// envelope instead of the mux's plain-text replies. A path that is not
// clean ("..", ".", "//") is not found either: the mux would redirect it
// to its cleaned form, turning "/posts/x/../upload" into another route.
func (s *Server) jsonMisses(mux *http.ServeMux) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if p := r.URL.EscapedPath(); path.Clean(p) != p {
			return errNoRoute(r)
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			noteRoute(r, pattern)
			mux.ServeHTTP(w, r)
			return nil
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.Header().Get("Allow"))
			return gram.Errorf(eMethodNotAllowed, "The method %s is not allowed on %s.", r.Method, r.URL.Path)
		}
		return errNoRoute(r)
	})
}

// errNoRoute is the answer to a URL the API does not serve.
func errNoRoute(r *http.Request) error {
	return gram.Errorf(gram.ENOTFOUND, "Unsupported URL: %s", r.URL.RequestURI())
}

// limitBody caps the request body.
func limitBody(w http.ResponseWriter, r *http.Request, n int64) {
	r.Body = http.MaxBytesReader(w, r.Body, n)
}
