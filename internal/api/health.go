package api

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) handleWelcome(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("Welcome to the InstaMERN API"))
}

// handleHealthz reports that the process is alive.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	ok(w, http.StatusOK, envelope{Message: "alive"})
}

// handleReadyz reports whether the database answers.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Store.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "readyz", "err", err)
		fail(w, http.StatusServiceUnavailable, "The database is not reachable.")
		return
	}
	ok(w, http.StatusOK, envelope{Message: "ready"})
}

// handleMedia streams a stored object (local disk, or S3 in proxy mode).
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Media == nil {
		fail(w, http.StatusNotFound, "Unsupported URL: "+r.URL.RequestURI())
		return
	}
	s.cfg.Media.ServeHTTP(w, r)
}
