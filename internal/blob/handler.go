package blob

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// Handler serves GET and HEAD /media/{key...} from store: the URLs that
// Disk, Mem and S3 proxy mode hand out. Responses carry the stored content
// type, CacheControl and nosniff. Seekable bodies (Disk, Mem) go through
// http.ServeContent, so ranges and If-Modified-Since work. A missing or
// invalid key is 404; a store failure is 503.
func Handler(store gram.BlobStore) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.URL.Path, "/media/")
		if !ok || !ValidKey(key) {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, info, err := store.Get(r.Context(), key)
		if err != nil {
			serveError(w, r, err)
			return
		}
		defer body.Close()
		h := w.Header()
		h.Set("Content-Type", info.ContentType)
		h.Set("Cache-Control", CacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		if rs, ok := body.(io.ReadSeeker); ok {
			http.ServeContent(w, r, "", info.LastModified, rs)
			return
		}
		h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
		if r.Method == http.MethodGet {
			io.Copy(w, body)
		}
	})
}

func serveError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, gram.ErrNotFound):
		http.NotFound(w, r)
	case gram.ErrorCode(err) == gram.EUNAVAILABLE:
		http.Error(w, gram.ErrorMessage(err), http.StatusServiceUnavailable)
	default:
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
