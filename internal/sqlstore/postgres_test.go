package sqlstore_test

import (
	"testing"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/storetest"
)

// TestPostgres runs the conformance suite on PostgreSQL, one fresh schema
// per subtest, when GRAM_TEST_POSTGRES is set (for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable); it skips otherwise.
func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	storetest.Run(t, func(t *testing.T) gram.Store { return sqlstore.OpenTestPostgres(t) })
}
