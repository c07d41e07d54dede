package gram

import (
	"context"
	"errors"
	"path"
	"strings"
)

// Blob keys derive from immutable ids, never from usernames, and are never
// reused: a new avatar gets a new key, so caches can keep objects forever.

// UserPrefix is the prefix of every object of one user. It ends in "/" so
// that no user's prefix is a prefix of another's.
func UserPrefix(userID string) string { return "users/" + userID + "/" }

func postKey(userID, postID, ext string) string {
	return UserPrefix(userID) + "posts/" + postID + "." + ext
}

func storyKey(userID, storyID, ext string) string {
	return UserPrefix(userID) + "stories/" + storyID + "." + ext
}

func avatarKey(userID, id, ext string) string {
	return UserPrefix(userID) + "avatars/" + id + "." + ext
}

// ExternalMedia reports whether key is the absolute URL of media kept
// elsewhere: imported photos keep the original's S3 URLs as their keys.
// Such media is served at its URL and never removed (the original's
// objects stay where they are).
func ExternalMedia(key string) bool {
	return strings.HasPrefix(key, "https://") || strings.HasPrefix(key, "http://")
}

// MediaReferenced reports whether a row still uses the object at key: the
// post, story or user the key was made for exists and holds that key.
// Keys of any other shape are reported as referenced, so that a sweep
// never deletes what it does not understand.
func (s *Service) MediaReferenced(ctx context.Context, key string) (bool, error) {
	parts := strings.Split(key, "/")
	if len(parts) != 4 || parts[0] != "users" {
		return true, nil
	}
	userID, kind, id := parts[1], parts[2], strings.TrimSuffix(parts[3], path.Ext(parts[3]))
	var (
		held string
		err  error
	)
	switch kind {
	case "posts":
		var p *Post
		if p, err = s.store.PostByID(ctx, id); err == nil {
			held = p.PhotoKey
		}
	case "stories":
		var st *Story
		if st, err = s.store.StoryByID(ctx, id); err == nil {
			held = st.PhotoKey
		}
	case "exports": // <exportID>-<random>.zip
		exportID, _, _ := strings.Cut(id, "-")
		var x *Export
		if x, err = s.store.ExportByID(ctx, exportID); err == nil && x.State == ExportReady {
			held = x.BlobKey
		}
	case "avatars":
		var u *User
		if u, err = s.store.UserByID(ctx, userID); err == nil {
			held = u.PhotoKey
		}
	default:
		return true, nil
	}
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return held == key, err
}
