package gram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"time"
)

// Account export: a user asks for an archive of everything their account
// owns; a background job (BuildExports, on one replica at a time) builds
// it into the blob store, and the user downloads it until it expires
// (ExpireExports removes it then). The format is docs/export.md.

// States of an export.
const (
	ExportPending = "pending" // asked for, not built yet
	ExportReady   = "ready"   // built, downloadable until ExpiresAt
	ExportFailed  = "failed"  // could not be built in exportAttempts tries
	ExportExpired = "expired" // past ExpiresAt; the archive is removed
)

// exportAttempts bounds the builds of one export before it fails.
const exportAttempts = 3

// Export is one requested archive of an account.
type Export struct {
	ID        string
	UserID    string
	State     string
	BlobKey   string // the archive, once ready
	Size      int64  // its bytes
	Attempts  int    // builds tried
	LastError string // why the latest build failed
	CreatedAt time.Time
	ReadyAt   time.Time
	ExpiresAt time.Time
}

// Exports persists account exports.
type Exports interface {
	// CreateExport inserts x. Returns ErrConflict if the user has a
	// pending export, and ErrNotFound if the user does not exist.
	CreateExport(ctx context.Context, x *Export) error
	// LatestExport returns the user's newest export. Returns ErrNotFound
	// if they never asked for one.
	LatestExport(ctx context.Context, userID string) (*Export, error)
	// ExportByID returns ErrNotFound.
	ExportByID(ctx context.Context, id string) (*Export, error)
	// PendingExports returns up to limit pending exports, oldest first.
	PendingExports(ctx context.Context, limit int) ([]*Export, error)
	// SaveExport stores x's state, blob key, size, attempts, last error
	// and times. Returns ErrNotFound if it is gone (its user was deleted).
	SaveExport(ctx context.Context, x *Export) error
	// ExpireExports marks up to limit ready exports whose ExpiresAt is
	// not after now expired and queues the deletion of their archives
	// (see BlobQueue), in one transaction, and returns the keys queued.
	ExpireExports(ctx context.Context, now time.Time, limit int) ([]string, error)
}

const msgNoExport = "You have not asked for an export yet."

// exportKey is where an archive is stored: under the user's prefix, so
// that deleting the account removes it, with a random part, so that the
// key cannot be guessed from the ids (a public bucket serves any key).
func exportKey(userID, exportID string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return UserPrefix(userID) + "exports/" + exportID + "-" + hex.EncodeToString(b) + ".zip"
}

// RequestExport asks for an archive of u's account, built in the
// background. One export at a time is prepared per account.
func (s *Service) RequestExport(ctx context.Context, u *User) (*Export, error) {
	now := s.now()
	x := &Export{ID: NewID(now), UserID: u.ID, State: ExportPending, CreatedAt: now}
	if err := s.store.CreateExport(ctx, x); err != nil {
		return nil, storeErr(err, "User not found.", "Your export is being prepared already.")
	}
	return x, nil
}

// LatestExport returns u's newest export, its state as of now.
func (s *Service) LatestExport(ctx context.Context, u *User) (*Export, error) {
	x, err := s.store.LatestExport(ctx, u.ID)
	if err != nil {
		return nil, storeErr(err, msgNoExport, msgNoExport)
	}
	if x.State == ExportReady && !x.ExpiresAt.After(s.now()) {
		x.State = ExportExpired // the sweep has not got to it yet
	}
	return x, nil
}

// OpenExport opens the archive of export id for userID (the user a
// download link was made for), while it is ready and unexpired. The
// caller closes the reader.
func (s *Service) OpenExport(ctx context.Context, userID, id string) (io.ReadCloser, *Export, error) {
	gone := Errorf(ENOTFOUND, "This export is not available: it has expired or was never made. Ask for a new one.")
	x, err := s.store.ExportByID(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, nil, gone
	case err != nil:
		return nil, nil, err
	case x.UserID != userID || x.State != ExportReady || !x.ExpiresAt.After(s.now()):
		return nil, nil, gone
	}
	body, _, err := s.blobs.Get(ctx, x.BlobKey)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, gone
	}
	return body, x, err
}

// BuildExports builds up to limit pending exports, oldest first, and
// reports how many it built. A failed build is retried on the next run,
// up to exportAttempts builds; then the export fails.
func (s *Service) BuildExports(ctx context.Context, limit int) (int, error) {
	xs, err := s.store.PendingExports(ctx, limit)
	if err != nil {
		return 0, err
	}
	built := 0
	for _, x := range xs {
		err := s.buildExport(ctx, x)
		if err == nil {
			built++
			continue
		}
		if ctx.Err() != nil {
			return built, ctx.Err()
		}
		s.log.WarnContext(ctx, "export: build failed", "export", x.ID, "attempt", x.Attempts+1, "err", err)
		x.Attempts++
		x.LastError = truncate(err.Error(), 500)
		if x.Attempts >= exportAttempts {
			x.State = ExportFailed
		}
		if err := s.store.SaveExport(ctx, x); err != nil && !errors.Is(err, ErrNotFound) {
			return built, err
		}
	}
	return built, nil
}

// buildExport writes x's archive to the blob store and marks it ready.
func (s *Service) buildExport(ctx context.Context, x *Export) error {
	u, err := s.store.UserByID(ctx, x.UserID)
	if err != nil {
		return err
	}
	f, size, err := s.writeArchive(ctx, u, x)
	if err != nil {
		return err
	}
	defer f.Close()
	key := exportKey(u.ID, x.ID)
	if err := s.blobs.Put(ctx, key, f, size, "application/zip"); err != nil {
		return err
	}
	now := s.now()
	x.State, x.BlobKey, x.Size, x.ReadyAt, x.ExpiresAt, x.LastError = ExportReady, key, size, now, now.Add(s.cfg.ExportTTL), ""
	if err := s.store.SaveExport(ctx, x); err != nil {
		s.removeQueued(ctx, key) // nothing refers to it; the account is gone
		return err
	}
	return nil
}

// ExpireExports removes up to limit archives past their expiry and
// reports how many. Their keys are queued in the store and left to the
// deleter as well, should the blob store not answer now.
func (s *Service) ExpireExports(ctx context.Context, limit int) (int, error) {
	keys, err := s.store.ExpireExports(ctx, s.now(), limit)
	for _, k := range keys {
		s.removeQueued(ctx, k)
	}
	return len(keys), err
}
