package blob

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/instamern/gram/internal/gram"
)

// ErrUnavailable is what callers see when the media store cannot be
// reached or refuses a call: gram.ErrorCode reports EUNAVAILABLE and the
// API answers with this message in a fail envelope.
var ErrUnavailable = &gram.Error{
	Code:    gram.EUNAVAILABLE,
	Message: "Media storage is unavailable. Please try again later.",
}

// unavailableError carries the cause of an EUNAVAILABLE failure for the
// log while errors.As(err, **gram.Error) finds ErrUnavailable.
type unavailableError struct {
	op, key string
	cause   error
}

func (e *unavailableError) Error() string {
	return fmt.Sprintf("blob: %s %q: media storage unavailable: %v", e.op, e.key, e.cause)
}

func (e *unavailableError) Unwrap() error { return e.cause }

// As lets errors.As and so gram.ErrorCode see ErrUnavailable.
func (e *unavailableError) As(target any) bool {
	t, ok := target.(**gram.Error)
	if ok {
		*t = ErrUnavailable
	}
	return ok
}

// fail classifies an SDK error: a missing object becomes gram.ErrNotFound,
// a cancellation by the caller stays the caller's context error, and
// everything else (network, timeout, throttling and 5xx after retries,
// credentials, missing bucket) makes the store unavailable.
func (s *S3) fail(ctx context.Context, op, key string, err error) error {
	if isNotFound(err) {
		return fmt.Errorf("blob %q: %w", key, gram.ErrNotFound)
	}
	if ce := context.Cause(ctx); ce != nil && !errors.Is(ce, context.DeadlineExceeded) && errors.Is(err, ce) {
		return fmt.Errorf("blob: %s %q: %w", op, key, err)
	}
	return &unavailableError{op: op, key: key, cause: err}
}

// isNotFound reports a 404 or a NoSuchKey/NotFound code. NoSuchBucket is
// also a 404 but means misconfiguration, not a missing object.
func isNotFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return true
		case "NoSuchBucket":
			return false
		}
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
