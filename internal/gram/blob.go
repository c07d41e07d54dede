package gram

import (
	"context"
	"io"
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
