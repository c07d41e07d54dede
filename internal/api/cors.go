package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// originAllowed reports whether origin is on the allowlist.
func (s *Server) originAllowed(origin string) bool {
	return origin != "" && slices.Contains(s.cfg.CORSOrigins, origin)
}

// cors implements the allowlist the client needs: the exact origin is
// echoed with credentials allowed (a wildcard would make the browser drop
// the current-user response), preflights get 204. Requests without an
// Origin (curl, servers) pass; a disallowed origin gets a JSON 403.
// Media is public and loads cross-origin without CORS checks. A browser's
// same-origin request (the email confirmation page posting its form; it
// sends "Origin: null" under our no-referrer policy) is not cross-origin.
func (s *Server) cors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		w.Header().Add("Vary", "Origin")
		if origin == "" || strings.HasPrefix(r.URL.Path, "/media/") || r.Header.Get("Sec-Fetch-Site") == "same-origin" {
			h.ServeHTTP(w, r)
			return
		}
		if !s.originAllowed(origin) {
			s.writeError(w, r, errCORS)
			return
		}
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Credentials", "true")
		hd.Set("Access-Control-Expose-Headers", "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-Id")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE")
			if req := r.Header.Get("Access-Control-Request-Headers"); validHeaderList(req) {
				hd.Set("Access-Control-Allow-Headers", req)
			}
			hd.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// errCORS refuses a request from an origin not on the allowlist.
var errCORS = gram.Errorf(gram.EFORBIDDEN, "Not allowed by CORS")

// validHeaderList accepts a comma-separated list of header names, so the
// echo cannot inject anything into the response.
func validHeaderList(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for _, c := range s {
		if !(c == ',' || c == ' ' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
