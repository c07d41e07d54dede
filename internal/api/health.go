package api

import (
	"context"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

func (s *Server) handleWelcome(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("Welcome to the InstaMERN API"))
	return nil
}

// handleHealthz reports that the process is alive, and its version.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, http.StatusOK, envelope{Message: "alive", Data: liveness{Version: s.cfg.Version}})
}

// liveness is the data of /healthz.
type liveness struct {
	Version string `json:"version,omitempty"`
}

// readyTimeout bounds the database check of /readyz, so that a load
// balancer hears of a stalled database at once rather than timing out.
const readyTimeout = time.Second

// errDraining is /readyz's answer once Drain was called.
var errDraining = gram.Errorf(gram.EUNAVAILABLE, "The server is draining: it is shutting down and takes no new work.")

// Drain makes /readyz answer 503 (draining) from now on, so that a load
// balancer stops sending requests here; the server goes on serving those
// that still come. A replica calls it first when it is told to stop.
func (s *Server) Drain() { s.draining.Store(true) }

// handleReadyz reports 503 while draining (see Drain), and whether the
// database answers (503 when not) and, in data, where rate limits are
// counted. While Redis does not answer,
// the limits are counted in process ("degraded": true): the server still
// serves, with every limit, so it stays ready.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return errDraining
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "readyz", "err", err)
		return gram.Errorf(gram.EUNAVAILABLE, "The database is not reachable.")
	}
	st := ratelimit.StatusOf(s.limiter)
	return ok(w, http.StatusOK, envelope{Message: "ready", Data: readiness{RateLimits: limitsView{st.Store, st.Degraded, st.Since}}})
}

// readiness is the data of /readyz.
type readiness struct {
	RateLimits limitsView `json:"rateLimits"`
}

// limitsView is where rate limits are counted: "redis" or "memory", and
// since when they are counted in process for want of Redis.
type limitsView struct {
	Store    string    `json:"store"`
	Degraded bool      `json:"degraded"`
	Since    time.Time `json:"since,omitzero"`
}
