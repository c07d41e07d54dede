package api

import (
	"net/http"
)

// sessionView is one of the caller's logins; Current marks the one the
// request came with.
type sessionView struct {
	ID        string `json:"_id"`
	UserAgent string `json:"userAgent"`
	IP        string `json:"ip"`
	CreatedAt string `json:"createdAt"`
	LastUsed  string `json:"lastUsed"`
	ExpiresAt string `json:"expiresAt"`
	Current   bool   `json:"current"`
}

func (s *Server) handleSessions(w http.ResponseWriter, r *http.Request) error {
	sessions, err := s.svc.Sessions(r.Context(), currentUser(r.Context()))
	if err != nil {
		return err
	}
	current := currentSession(r.Context()).ID
	out := make([]sessionView, 0, len(sessions))
	for _, ss := range sessions {
		out = append(out, sessionView{ID: ss.ID, UserAgent: ss.UserAgent, IP: ss.IP, CreatedAt: isoTime(ss.CreatedAt),
			LastUsed: isoTime(ss.LastUsed), ExpiresAt: isoTime(ss.ExpiresAt), Current: ss.ID == current})
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(out)), Data: map[string]any{"sessions": out}})
}

// handleEndSession ends one of the caller's sessions (the current one
// too: that is a logout).
func (s *Server) handleEndSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.EndSession(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "The session has been ended.", Data: nullData{}})
}

// handleEndOtherSessions ends every session of the caller but this one.
func (s *Server) handleEndOtherSessions(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.EndOtherSessions(r.Context(), currentUser(r.Context()), currentSession(r.Context()).ID); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Every other session has been ended.", Data: nullData{}})
}
