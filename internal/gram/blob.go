package gram

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// BlobStore keeps media objects (post, story and avatar images). Keys are
// slash-separated paths built by the service from user and object ids
// (never from usernames), e.g. "users/<userID>/posts/<postID>.jpg", and are
// never reused, so objects may be cached forever.
//
// Implementations: blob.Disk (embedded default), blob.S3, blob.Mem (tests).
// All methods are safe for concurrent use.
type BlobStore interface {
	// Put stores the object under key, replacing any object with that key.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the object. Returns ErrNotFound if it does not exist.
	// The caller closes the reader.
	Get(ctx context.Context, key string) (io.ReadCloser, BlobInfo, error)
	// Head returns the object's metadata. Returns ErrNotFound if it does not exist.
	Head(ctx context.Context, key string) (BlobInfo, error)
	// Delete removes the object. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// DeletePrefix removes every object whose key starts with prefix, which
	// must end in "/" so that one user's prefix never matches another's.
	DeletePrefix(ctx context.Context, prefix string) error
	// List returns the objects whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string) ([]BlobInfo, error)
	// URL returns the absolute URL a browser loads the object from.
	URL(ctx context.Context, key string) (string, error)
}

// BlobInfo describes a stored object.
type BlobInfo struct {
	Key          string
	Size         int64
	ContentType  string
	LastModified time.Time
}

// BlobDeletion is media waiting to be removed from the BlobStore: one
// object, or every object under a prefix ending in "/" (an account's
// media). Nothing references it any more; it stays queued until the
// BlobStore confirms that it is gone.
type BlobDeletion struct {
	Key           string    // an object key, or a prefix ending in "/"
	Attempts      int       // claims so far
	NextAttemptAt time.Time // due from then on; the zero time is due at once
	LastError     string    // why the latest attempt failed
	ClaimToken    string    // identifies the latest claim (set by ClaimBlobDeletions)
}

// RemoveBlob removes what a queued key names from store: the object, or
// every object under a prefix ending in "/". An object already gone
// counts as removed, and so does external media (ExternalMedia), which is
// not the store's.
func RemoveBlob(ctx context.Context, store BlobStore, key string) error {
	if ExternalMedia(key) {
		return nil
	}
	var err error
	if strings.HasSuffix(key, "/") {
		err = store.DeletePrefix(ctx, key)
	} else {
		err = store.Delete(ctx, key)
	}
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// BlobQueue persists the media that must be removed, so that a crash or a
// blob store outage between a row's deletion and its object's never leaves
// the object behind. The store methods that drop a reference queue its key
// in the same transaction, due at once: DeletePost and DeleteStory their
// photo, DeleteUser UserPrefix(id), and every save of a user (UpdateUser,
// ModerateUser, ResetPassword, ConfirmEmailChange) whose PhotoKey changes
// the previous key. A deleter (blob.Deleter) works the queue.
type BlobQueue interface {
	// QueueBlobDeletions queues keys, due at at. A key already queued
	// keeps its row as it is.
	QueueBlobDeletions(ctx context.Context, at time.Time, keys ...string) error
	// ClaimBlobDeletions returns up to limit deletions due at now, the
	// earliest due first, and leases them until now+lease (NextAttemptAt
	// moves there, Attempts grows by one, ClaimToken gets a fresh value),
	// so that no other deleter claims them meanwhile.
	ClaimBlobDeletions(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]BlobDeletion, error)
	// BlobDeleted drops key from the queue: the BlobStore confirmed that
	// it is gone. Whoever confirms may drop it, claim or not: keys are
	// never reused, so a confirmed removal is final. Dropping a key that
	// is not queued is not an error.
	BlobDeleted(ctx context.Context, key string) error
	// RetryBlobDeletion records a failed attempt by the holder of claim:
	// the deletion is due again at retryAt, with lastError. Returns
	// ErrNotFound if key is not queued (its removal was confirmed), and
	// ErrConflict if it has been claimed again since (the lease ran out).
	RetryBlobDeletion(ctx context.Context, key, claim, lastError string, retryAt time.Time) error
}
