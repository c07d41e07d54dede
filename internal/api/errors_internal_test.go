package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// Every error gets its status from the one table; what is not in it is
// internal, and a deadline is a busy server whatever wrapped it.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
		msg  string
	}{
		{"Domain", gram.Errorf(gram.ECONFLICT, "Taken."), http.StatusConflict, "Taken."},
		{"Wrapped", fmt.Errorf("op: %w", gram.Errorf(gram.ENOTFOUND, "Gone.")), http.StatusNotFound, "Gone."},
		{"HTTPOnly", gram.Errorf(eMethodNotAllowed, "No."), http.StatusMethodNotAllowed, "No."},
		{"UnknownCode", gram.Errorf("no_such_code", "Hm."), http.StatusInternalServerError, "Hm."},
		{"Plain", errors.New("boom"), http.StatusInternalServerError, gram.ErrorMessage(errors.New("boom"))},
		{"Deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, "The server is busy. Please try again later."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := classify(tt.err)
			if status != tt.want || gram.ErrorMessage(err) != tt.msg {
				t.Errorf("classify = %d %q, want %d %q", status, gram.ErrorMessage(err), tt.want, tt.msg)
			}
		})
	}
}
