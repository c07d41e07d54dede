package api

import (
	"context"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func (s *Server) handleWelcome(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("Welcome to the InstaMERN API"))
	return nil
}

// handleHealthz reports that the process is alive.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, http.StatusOK, envelope{Message: "alive"})
}

// handleReadyz reports whether the database answers.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "readyz", "err", err)
		return gram.Errorf(gram.EUNAVAILABLE, "The database is not reachable.")
	}
	return ok(w, http.StatusOK, envelope{Message: "ready"})
}

// handleMedia streams a stored object (local disk, or S3 in proxy mode).
// The media handler answers its errors (unknown key, bad range, store
// down) in plain text; they reach the client as the JSON fail envelope.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Media == nil || r.PathValue("key") == "" {
		fail(w, http.StatusNotFound, "Unsupported URL: "+r.URL.RequestURI())
		return nil
	}
	s.cfg.Media.ServeHTTP(&jsonFailWriter{ResponseWriter: w, r: r}, r)
	return nil
}

// jsonFailWriter replaces an error reply (status >= 400) of the handler it
// wraps with the JSON fail envelope, and drops the handler's own body.
// Successful replies pass through untouched, streamed.
type jsonFailWriter struct {
	http.ResponseWriter
	r      *http.Request
	failed bool
}

func (f *jsonFailWriter) WriteHeader(code int) {
	if code < http.StatusBadRequest || f.failed {
		f.ResponseWriter.WriteHeader(code)
		return
	}
	f.failed = true
	f.Header().Del("Content-Length")
	msg := http.StatusText(code) + "."
	switch code {
	case http.StatusNotFound:
		msg = "Unsupported URL: " + f.r.URL.RequestURI()
	case http.StatusServiceUnavailable:
		msg = "The server is busy. Please try again later."
	case http.StatusRequestedRangeNotSatisfiable:
		msg = "The requested range is not satisfiable."
	}
	fail(f.ResponseWriter, code, msg)
}

func (f *jsonFailWriter) Write(b []byte) (int, error) {
	if f.failed {
		return len(b), nil // the handler's plain-text error body
	}
	return f.ResponseWriter.Write(b)
}

func (f *jsonFailWriter) Unwrap() http.ResponseWriter { return f.ResponseWriter }
