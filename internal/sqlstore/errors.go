package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/instamern/gram/internal/gram"
)

// wrap translates driver errors at the store boundary: no rows becomes
// gram.ErrNotFound, a unique violation gram.ErrConflict; anything else is
// wrapped with the operation's name. An updater function's error
// (fnError) is returned as is.
func (s *Store) wrap(op string, err error) error {
	var (
		ge *gram.Error
		fe fnError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return fe.err
	case errors.As(err, &ge), errors.Is(err, gram.ErrNotFound), errors.Is(err, gram.ErrConflict):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: %s: %w", op, gram.ErrNotFound)
	case s.d.isConflict(err):
		return fmt.Errorf("sqlstore: %s: %w", op, gram.ErrConflict)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// fnError carries the error of a caller's updater function through the
// transaction, so that wrap returns it as is, as the contract says.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// mustAffect returns gram.ErrNotFound when a statement changed no row.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return gram.ErrNotFound
	}
	return nil
}
