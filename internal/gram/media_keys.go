package gram

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
