package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// statuses maps error codes to HTTP statuses: the only such table.
var statuses = map[string]int{
	gram.EINVALID:      http.StatusBadRequest,
	gram.EUNAUTHORIZED: http.StatusUnauthorized,
	gram.EFORBIDDEN:    http.StatusForbidden,
	gram.ENOTFOUND:     http.StatusNotFound,
	gram.ECONFLICT:     http.StatusConflict,
	gram.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	gram.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	gram.ERATELIMIT:    http.StatusTooManyRequests,
	gram.EUNAVAILABLE:  http.StatusServiceUnavailable,
	gram.EINTERNAL:     http.StatusInternalServerError,
}

type failBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// writeError writes err as the contract's error envelope: "fail" with
// the safe message for anything the client can act on, "error" with a
// generic message for internal faults, whose cause is only logged.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := gram.ErrorCode(err)
	if errors.Is(err, context.Canceled) {
		return // the client is gone
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err, code = gram.Errorf(gram.EUNAVAILABLE, "The server is busy. Please try again later."), gram.EUNAVAILABLE
	}
	status := statuses[code]
	var ge *gram.Error
	if errors.As(err, &ge) && ge.Status != 0 {
		status = ge.Status
	}
	if code == gram.EINTERNAL {
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r.Context()))
		encode(w, status, failBody{Status: "error", Message: gram.ErrorMessage(err)})
		return
	}
	encode(w, status, failBody{Status: "fail", Message: gram.ErrorMessage(err)})
}

// fail writes a fail envelope with a status and message.
func fail(w http.ResponseWriter, status int, msg string) {
	encode(w, status, failBody{Status: "fail", Message: msg})
}
