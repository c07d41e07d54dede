package api

import (
	"errors"
	"net/http"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
)

// handleMedia streams a stored object (local disk, or S3 in proxy mode)
// with cfg.Media, whose refusals are answered like any other error.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Media == nil || r.PathValue("key") == "" {
		return errNoRoute(r)
	}
	return mediaError(r, s.cfg.Media(w, r))
}

// mediaError puts a refusal of the media handler in the API's words: an
// unknown object is an unsupported URL, a store that is down a busy server.
func mediaError(r *http.Request, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gram.ErrNotFound):
		return errNoRoute(r)
	case errors.Is(err, blob.ErrRangeNotSatisfiable):
		return gram.Errorf(eRangeNotSatisfiable, "The requested range is not satisfiable.")
	case errors.Is(err, blob.ErrPreconditionFailed):
		return gram.Errorf(ePreconditionFailed, "Precondition Failed.")
	case gram.ErrorCode(err) == gram.EUNAVAILABLE:
		return errBusy
	}
	return err
}
