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
