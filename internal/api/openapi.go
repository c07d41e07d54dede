package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/instamern/gram/internal/openapi"
)

// specETag is the ETag of the OpenAPI description: it changes only with
// the binary.
var specETag = sync.OnceValue(func() string {
	sum := sha256.Sum256(openapi.JSON())
	return `"` + hex.EncodeToString(sum[:8]) + `"`
})

// handleOpenAPI serves the OpenAPI description of the API (GET
// /openapi.json). Caches may keep it for an hour and revalidate it by its
// ETag (304).
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", specETag())
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(openapi.JSON()))
	return nil
}
