// Package blob implements gram.BlobStore on a local folder (Disk), on Amazon
// S3 or any S3-compatible server (S3), and in memory for tests (Mem).
//
// Keys are validated the same way by every store (see ValidKey), so a key
// that works on Disk in development also works on S3 in production.
package blob

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/instamern/gram/internal/gram"
)

// CacheControl is sent with every object. Keys are never reused (see
// gram.BlobStore), so browsers and CDNs may cache an object forever.
const CacheControl = "public, max-age=31536000, immutable"

// maxKeyLen is the S3 limit on key length in bytes.
const maxKeyLen = 1024

// errInvalidKey is returned for keys that fail ValidKey. Keys are built by
// the service, so an invalid key is a bug, not user input; EINVALID still
// keeps it out of the 500 path.
var errInvalidKey = gram.Errorf(gram.EINVALID, "Invalid media key.")

// ValidKey reports whether key is acceptable to every store: non-empty, at
// most 1024 bytes of valid UTF-8, slash-separated segments that are
// non-empty and do not start with "." (which rules out "." and ".." and
// leaves dot-names free for Disk's temporary and metadata files), no leading
// or trailing slash, no backslash and no control characters (including NUL).
func ValidKey(key string) bool {
	if key == "" || len(key) > maxKeyLen || !utf8.ValidString(key) {
		return false
	}
	for _, r := range key {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\\' {
			return false
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
	}
	return true
}

// checkKey returns errInvalidKey unless ValidKey(key).
func checkKey(key string) error {
	if !ValidKey(key) {
		return errInvalidKey
	}
	return nil
}

// checkListPrefix accepts "" (everything) or a prefix that is a valid key
// with an optional trailing slash.
func checkListPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return checkKey(strings.TrimSuffix(prefix, "/"))
}

// checkDeletePrefix requires a non-empty prefix ending in "/", so that
// deleting "users/ali/" can never match "users/alice/".
func checkDeletePrefix(prefix string) error {
	if !strings.HasSuffix(prefix, "/") {
		return gram.Errorf(gram.EINVALID, "Media prefix must end in a slash.")
	}
	return checkKey(strings.TrimSuffix(prefix, "/"))
}

// mediaURL is the URL under which the app serves key: base + "/media/" +
// key, each segment percent-escaped.
func mediaURL(base, key string) string {
	return strings.TrimSuffix(base, "/") + "/media/" + escapePath(key)
}

// escapePath percent-escapes each segment of a slash-separated key.
func escapePath(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
