package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/instamern/gram/internal/gram"
)

// wrap translates driver errors at the store boundary: no rows becomes
// gram.ErrNotFound, a unique violation gram.ErrConflict, a database that
// cannot answer now gram.ErrStoreUnavailable (with the cause); anything
// else is wrapped with the operation's name. An updater function's error
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
	case s.d.unavailable(err):
		return fmt.Errorf("sqlstore: %s: %w: %w", op, gram.ErrStoreUnavailable, err)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// unavailable reports an error that says the database cannot answer now,
// rather than that the statement was wrong: the connection could not be
// made or was lost, or the backend says so (isUnavailable). The caller's
// own cancellation or deadline is not: the caller knows it already, and
// the API answers it itself.
func (d dialect) unavailable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error // refused, reset, unreachable, timed out, DNS
	return errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || d.isUnavailable(err)
}

// fnError carries the error of a caller's updater function through the
// transaction, so that wrap returns it as is, as the contract says.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }

// changed runs q and reports whether it changed a row.
func (s *Store) changed(ctx context.Context, q string, args ...any) (bool, error) {
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

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
