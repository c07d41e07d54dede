package api

import (
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

// handleHealthz reports that the process is alive, and its version. It
// checks no dependency: a restart would not bring one back.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, http.StatusOK, envelope{Message: "alive", Data: liveness{Version: s.cfg.Version}})
}

// liveness is the data of /healthz.
type liveness struct {
	Version string `json:"version,omitempty"`
}

// errDraining is /readyz's answer once Drain was called.
var errDraining = gram.Errorf(gram.EUNAVAILABLE, "The server is draining: it is shutting down and takes no new work.")

// Drain makes /readyz answer 503 (draining) from now on, so that a load
// balancer stops sending requests here; the server goes on serving those
// that still come. A replica calls it first when it is told to stop.
func (s *Server) Drain() { s.draining.Store(true) }

// handleReadyz answers 503 while draining (see Drain); else it checks
// every dependency at once (readiness.go): 200 when each required one
// answers, else 503 with the same detail in a fail envelope. data also
// says where rate limits are counted: while Redis does not answer they
// are counted in process ("degraded": true), and the server, still
// serving with every limit, stays ready.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return errDraining
	}
	checks, failed := s.runChecks(r)
	st := ratelimit.StatusOf(s.limiter)
	data := readiness{Checks: checks, RateLimits: limitsView{st.Store, st.Degraded, st.Since}}
	if failed != "" {
		w.Header().Set("Retry-After", retryAfter)
		encode(w, http.StatusServiceUnavailable, notReady{Status: "fail", Message: "Not ready: " + failed + " failed its check.", Data: data})
		return nil
	}
	return ok(w, http.StatusOK, envelope{Message: "ready", Data: data})
}

// readiness is the data of /readyz.
type readiness struct {
	Checks     []checkView `json:"checks"`
	RateLimits limitsView  `json:"rateLimits"`
}

// notReady is the 503 of /readyz: the fail envelope, with the detail.
type notReady struct {
	Status  string    `json:"status"`
	Message string    `json:"message"`
	Data    readiness `json:"data"`
}

// limitsView is where rate limits are counted: "redis" or "memory", and
// since when they are counted in process for want of Redis.
type limitsView struct {
	Store    string    `json:"store"`
	Degraded bool      `json:"degraded"`
	Since    time.Time `json:"since,omitzero"`
}
