package openapitest

import (
	"sync"
	"testing"

	"github.com/instamern/gram/internal/openapi"
)

// ForAPI returns the validator of the API's own description
// (openapi.JSON), loaded once per test binary. A description that does not
// load fails t.
func ForAPI(t testing.TB) *Validator {
	t.Helper()
	v, err := loadAPI()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var loadAPI = sync.OnceValues(func() (*Validator, error) { return New(openapi.JSON()) })
