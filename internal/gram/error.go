package gram

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. They are transport-neutral; the API maps each to a status.
const (
	EINVALID      = "invalid"      // bad input: validation failed
	EUNAUTHORIZED = "unauthorized" // not logged in, bad token, wrong password
	EFORBIDDEN    = "forbidden"    // logged in but not allowed
	ENOTFOUND     = "not_found"    // the thing does not exist
	ECONFLICT     = "conflict"     // duplicate or state conflict
	ETOOLARGE     = "too_large"    // body, file or image over a limit
	EUNSUPPORTED  = "unsupported"  // unsupported media type
	ERATELIMIT    = "rate_limited" // too many requests
	EUNAVAILABLE  = "unavailable"  // a dependency (database, blob store, mail) is down or out of time
	EINTERNAL     = "internal"     // a bug or unexpected failure
)

// Error is the one application error type. Message is safe to show to
// clients; the cause of internal errors is never put in it. The code alone
// decides the HTTP status, through the API's table.
type Error struct {
	Code    string
	Message string
	// RetryAfter, when positive, is how long the client should wait
	// before trying again (a busy server, a limit reached); the API sends
	// it as Retry-After.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return fmt.Sprintf("gram: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EINTERNAL otherwise. A nil error has no code.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong. Please try again later."
}

// Store sentinel errors. Every store backend returns these (possibly
// wrapped) and the service translates them into *Error values.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// ErrStoreUnavailable is what a store wraps, with the cause for the log,
// when the database cannot answer now (unreachable, connection lost, out
// of time or locked) rather than refusing the request: ErrorCode reports
// EUNAVAILABLE and the API answers with this message in a fail envelope.
var ErrStoreUnavailable = &Error{Code: EUNAVAILABLE, Message: "The database is unavailable. Please try again in a moment."}
