package sqlstore_test

import (
	"testing"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/storetest"
)

// TestSQLite runs the conformance suite on a SQLite file per subtest.
func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) gram.Store { return sqlstore.OpenTestSQLite(t) })
}
