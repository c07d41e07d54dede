package api

import (
	"net/http"

	"github.com/instamern/gram/internal/openapi"
)

// handleDocs serves the API reference page (GET /docs), rendered once
// from the OpenAPI description. The page loads nothing and runs no
// script; its policy allows only its own inline style sheet.
func (s *Server) handleDocs(w http.ResponseWriter, _ *http.Request) error {
	page, err := openapi.Docs()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", openapi.DocsCSP())
	h.Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(page)
	return nil
}
