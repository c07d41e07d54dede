package blob

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// Why Handler could not serve a request's Range, or its If-Match or
// If-Unmodified-Since header.
var (
	ErrRangeNotSatisfiable = errors.New("blob: range not satisfiable")
	ErrPreconditionFailed  = errors.New("blob: precondition failed")
)

// Handler returns the handler of GET and HEAD /media/{key...} (the caller
// routes only those methods), serving store: the URLs that Disk, Mem and
// S3 proxy mode hand out. Responses carry the stored content type,
// CacheControl and nosniff. Seekable bodies (Disk, Mem) go through
// http.ServeContent, so ranges and conditional requests work.
//
// The handler writes only successes (200, 206, 304). Otherwise it writes
// no status and no body and returns why, for the caller to answer in its
// own format: an error matching gram.ErrNotFound for an invalid or unknown
// key, ErrRangeNotSatisfiable, ErrPreconditionFailed, or the store's error
// (gram.ErrorCode reports EUNAVAILABLE when the store is down).
func Handler(store gram.BlobStore) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		key, ok := strings.CutPrefix(r.URL.Path, "/media/")
		if !ok || !ValidKey(key) {
			return fmt.Errorf("blob %q: %w", key, gram.ErrNotFound)
		}
		body, info, err := store.Get(r.Context(), key)
		if err != nil {
			return err
		}
		defer body.Close()
		h := w.Header()
		h.Set("Content-Type", info.ContentType)
		h.Set("Cache-Control", CacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		if rs, ok := body.(io.ReadSeeker); ok {
			ref := &refusal{ResponseWriter: w}
			http.ServeContent(ref, r, "", info.LastModified, rs)
			return ref.err(key)
		}
		h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
		if r.Method == http.MethodGet {
			_, _ = io.Copy(w, body) // the status is sent: a failure can only cut the body short
		}
		return nil
	}
}

// refusal holds back an error reply of http.ServeContent (a status of 400
// or more, and its plain-text body) so that Handler can return it instead.
// The headers ServeContent set for it (Content-Range on a 416) stay.
type refusal struct {
	http.ResponseWriter
	status int
}

func (f *refusal) WriteHeader(code int) {
	if code >= http.StatusBadRequest {
		f.status = code
		return
	}
	f.ResponseWriter.WriteHeader(code)
}

func (f *refusal) Write(b []byte) (int, error) {
	if f.status != 0 {
		return len(b), nil
	}
	return f.ResponseWriter.Write(b)
}

// err is the refusal as an error, nil when there was none.
func (f *refusal) err(key string) error {
	switch f.status {
	case 0:
		return nil
	case http.StatusRequestedRangeNotSatisfiable:
		return ErrRangeNotSatisfiable
	case http.StatusPreconditionFailed:
		return ErrPreconditionFailed
	}
	return fmt.Errorf("blob: serving %q: %d %s", key, f.status, http.StatusText(f.status))
}
