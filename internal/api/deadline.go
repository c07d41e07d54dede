package api

import (
	"context"
	"net/http"
)

// deadline gives each request its deadline: UploadTimeout on the routes
// of mux that move a file (fileRoutes), RequestTimeout on every other.
// Handlers pass the request's context to every call that waits (store,
// media, rate limiter), so a stalled dependency ends in the deadline's
// error, which writeError answers 503, instead of holding the request.
func (s *Server) deadline(mux *http.ServeMux, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := s.cfg.RequestTimeout
		if _, pattern := mux.Handler(r); s.fileRoutes[pattern] {
			d = s.cfg.UploadTimeout
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
