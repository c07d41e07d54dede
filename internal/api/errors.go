package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Codes of the failures only HTTP has (no domain concept fits them). They
// are carried in a *gram.Error like the domain's codes and mapped by the
// same table.
const (
	eMethodNotAllowed    = "method_not_allowed"    // the path exists, the method does not
	eBadGateway          = "bad_gateway"           // a service called for the client (SNS) failed
	eRangeNotSatisfiable = "range_not_satisfiable" // a media Range beyond the object
	ePreconditionFailed  = "precondition_failed"   // a media If-Match or If-Unmodified-Since not met
)

// statuses maps error codes to HTTP statuses: the only such table. An
// error without a code (not a *gram.Error) is internal.
var statuses = map[string]int{
	gram.EINVALID:        http.StatusBadRequest,
	gram.EUNAUTHORIZED:   http.StatusUnauthorized,
	gram.EFORBIDDEN:      http.StatusForbidden,
	gram.ENOTFOUND:       http.StatusNotFound,
	gram.ECONFLICT:       http.StatusConflict,
	gram.ETOOLARGE:       http.StatusRequestEntityTooLarge,
	gram.EUNSUPPORTED:    http.StatusUnsupportedMediaType,
	gram.ERATELIMIT:      http.StatusTooManyRequests,
	gram.EUNAVAILABLE:    http.StatusServiceUnavailable,
	gram.EINTERNAL:       http.StatusInternalServerError,
	eMethodNotAllowed:    http.StatusMethodNotAllowed,
	eBadGateway:          http.StatusBadGateway,
	eRangeNotSatisfiable: http.StatusRequestedRangeNotSatisfiable,
	ePreconditionFailed:  http.StatusPreconditionFailed,
}

// errBusy is what a request that ran out of time gets.
var errBusy = gram.Errorf(gram.EUNAVAILABLE, "The server is busy. Please try again later.")

// classify returns the status err maps to and the error to show: a
// deadline is a busy server, a code missing from the table is internal.
func classify(err error) (int, error) {
	if errors.Is(err, context.DeadlineExceeded) {
		err = errBusy
	}
	status, known := statuses[gram.ErrorCode(err)]
	if !known {
		return http.StatusInternalServerError, err
	}
	return status, err
}

type failBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// retryAfter is the Retry-After of a 503, in seconds: a dependency that
// is down or slow may be back by then, and a client that waits no less
// spares it a stampede.
const retryAfter = "5"

// retryAfterOf is the Retry-After of an answer: the RetryAfter of err's
// *gram.Error in whole seconds (rounded up), else retryAfter for a 503,
// else none.
func retryAfterOf(err error, status int) string {
	var e *gram.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return strconv.Itoa(int((e.RetryAfter + time.Second - 1) / time.Second))
	}
	if status == http.StatusServiceUnavailable {
		return retryAfter
	}
	return ""
}

// writeError writes err as the contract's error envelope: "fail" with
// the safe message for anything the client can act on, "error" with a
// generic message for internal faults, whose cause is only logged. An
// outage (503) is a "fail", so that the client shows its message and the
// user sees the action failed; it says when to retry, and its cause is
// logged. A canceled request gets nothing: the client is gone.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	status, shown := classify(err)
	if ra := retryAfterOf(shown, status); ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	switch status {
	case http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r.Context()))
		encode(w, status, failBody{Status: "error", Message: gram.ErrorMessage(shown)})
		return
	case http.StatusServiceUnavailable:
		s.log.WarnContext(r.Context(), "unavailable", "err", err, "request_id", requestID(r.Context()))
	}
	encode(w, status, failBody{Status: "fail", Message: gram.ErrorMessage(shown)})
}

// handlerFunc is the shape of every handler: it writes its success
// response itself and returns its failure, which handle answers through
// writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h to net/http: the one place a handler's error is written.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
