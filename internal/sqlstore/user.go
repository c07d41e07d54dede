package sqlstore

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/instamern/gram/internal/gram"
)

const userColumns = `id, username, email, firstname, lastname, bio, password_hash, photo_key, role, active, created_at, updated_at,
	suspended_at, suspended_by, suspend_reason, private`

func scanUser(r scanner) (*gram.User, error) {
	var (
		u                           gram.User
		created, updated, suspended int64
	)
	err := r.Scan(&u.ID, &u.Username, &u.Email, &u.Firstname, &u.Lastname, &u.Bio,
		&u.PasswordHash, &u.PhotoKey, &u.Role, &u.Active, &created, &updated,
		&suspended, &u.SuspendedBy, &u.SuspendReason, &u.Private)
	if err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.SuspendedAt = fromMS(created), fromMS(updated), fromMS(suspended)
	return &u, nil
}

func userArgs(u *gram.User) []any {
	return []any{u.ID, u.Username, u.Email, u.Firstname, u.Lastname, u.Bio,
		u.PasswordHash, u.PhotoKey, u.Role, u.Active, ms(u.CreatedAt), ms(u.UpdatedAt),
		ms(u.SuspendedAt), u.SuspendedBy, u.SuspendReason, u.Private}
}

func (s *Store) CreateUser(ctx context.Context, u *gram.User, welcome *gram.OutboxMail) error {
	err := s.inTx(ctx, func(t tx) error {
		q := `INSERT INTO users (` + userColumns + `) VALUES (` + placeholders(16) + `)`
		if _, err := t.exec(ctx, q, userArgs(u)...); err != nil {
			return err
		}
		return enqueueMail(ctx, t, welcome)
	})
	return s.wrap("create user", err)
}

const qUserByID = `SELECT ` + userColumns + ` FROM users WHERE id = ?`

func (s *Store) UserByID(ctx context.Context, id string) (*gram.User, error) {
	u, err := scanUser(s.queryRow(ctx, qUserByID, id))
	return u, s.wrap("user by id", err)
}

const qUserByUsername = `SELECT ` + userColumns + ` FROM users WHERE username = ?`

// storable reports whether s can be a text value on every backend: valid
// UTF-8 without NUL. PostgreSQL rejects anything else with an error, and
// SQLite cuts LIKE patterns at a NUL; a lookup by such a value can match
// nothing that was stored, so it finds nothing without asking.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func (s *Store) UserByUsername(ctx context.Context, username string) (*gram.User, error) {
	if !storable(username) {
		return nil, gram.ErrNotFound
	}
	u, err := scanUser(s.queryRow(ctx, qUserByUsername, username))
	return u, s.wrap("user by username", err)
}

const qUserByEmail = `SELECT ` + userColumns + ` FROM users WHERE email = ?`

func (s *Store) UserByEmail(ctx context.Context, email string) (*gram.User, error) {
	if !storable(email) {
		return nil, gram.ErrNotFound
	}
	u, err := scanUser(s.queryRow(ctx, qUserByEmail, email))
	return u, s.wrap("user by email", err)
}

func (s *Store) UpdateUser(ctx context.Context, id string, fn func(*gram.User) error) (*gram.User, error) {
	var out *gram.User
	err := s.inTx(ctx, func(t tx) error {
		u, err := updateUserTx(ctx, t, id, fn)
		out = u
		return err
	})
	return out, s.wrap("update user", err)
}

// updateUserTx is the read-modify-write of every save of a user inside
// t; a photo the save replaces or removes is queued for deletion.
func updateUserTx(ctx context.Context, t tx, id string, fn func(*gram.User) error) (*gram.User, error) {
	u, err := scanUser(t.queryRow(ctx, qUserByID+t.d.forUpdate, id))
	if err != nil {
		return nil, err
	}
	oldPhoto := u.PhotoKey
	if err := fn(u); err != nil {
		return nil, fnError{err}
	}
	if u.PhotoKey != oldPhoto {
		if err := queueDropped(ctx, t, oldPhoto); err != nil {
			return nil, err
		}
	}
	u.ID = id
	_, err = t.exec(ctx, `UPDATE users SET username = ?, email = ?, firstname = ?, lastname = ?, bio = ?,
		password_hash = ?, photo_key = ?, role = ?, active = ?, updated_at = ?,
		suspended_at = ?, suspended_by = ?, suspend_reason = ?, private = ? WHERE id = ?`,
		u.Username, u.Email, u.Firstname, u.Lastname, u.Bio, u.PasswordHash, u.PhotoKey, u.Role, u.Active, ms(u.UpdatedAt),
		ms(u.SuspendedAt), u.SuspendedBy, u.SuspendReason, u.Private, id)
	return u, err
}

func (s *Store) ModerateUser(ctx context.Context, id string, fn func(*gram.User) error, e *gram.AuditEntry) (*gram.User, error) {
	var out *gram.User
	err := s.inTx(ctx, func(t tx) error {
		u, err := updateUserTx(ctx, t, id, fn)
		if err != nil {
			return err
		}
		out = u
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return insertAudit(ctx, t, e)
	})
	return out, s.wrap("moderate user", err)
}

// listUsersQuery walks the (created_at, id) index backwards; a query
// filters on username or email, literally.
func listUsersQuery(filter, cursor bool) string {
	q := `SELECT ` + userColumns + ` FROM users WHERE 1 = 1`
	if filter {
		q += ` AND (username LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`
	}
	if cursor {
		q += ` AND (created_at, id) < (?, ?)`
	}
	return q + ` ORDER BY created_at DESC, id DESC LIMIT ?`
}

func (s *Store) ListUsers(ctx context.Context, query string, page gram.Page) ([]*gram.User, error) {
	if !storable(query) {
		return []*gram.User{}, nil
	}
	var args []any
	if query != "" {
		like := "%" + likeEscape(strings.ToLower(query)) + "%"
		args = append(args, like, like)
	}
	out, err := queryAll(ctx, s, scanUser, listUsersQuery(query != "", page.HasCursor()), pageArgs(page, args...)...)
	return out, s.wrap("list users", err)
}

// The statements of DeleteUser after the locks: the counters of other
// users' posts the user liked (likes_user) or commented on
// (comments_author), the notifications about the user's posts
// (notifications_post, for the ids the lock read: as a subquery,
// PostgreSQL misjudged how many notifications a post has and hashed the
// whole table, 1.5 s at 1M notifications), then the row, whose cascades
// follow an index on every referencing column.
const (
	qUnlikeAll    = `UPDATE posts SET like_count = like_count - 1 WHERE id IN (SELECT post_id FROM likes WHERE user_id = ?) AND author_id <> ?`
	qUncommentAll = `UPDATE posts SET comment_count = comment_count - (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id AND c.author_id = ?) WHERE id IN (SELECT post_id FROM comments WHERE author_id = ?) AND author_id <> ?`
	qDeleteUser   = `DELETE FROM users WHERE id = ?`
)

// deletePostsNotesQuery deletes the notifications about n posts.
func deletePostsNotesQuery(n int) string {
	return `DELETE FROM notifications WHERE post_id IN (` + placeholders(n) + `)`
}

// postIDsChunk bounds the ids bound to one statement (SQLite allows 32766).
const postIDsChunk = 500

func (s *Store) DeleteUser(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(t tx) error {
		posts, err := lockUserAndPosts(ctx, t, id)
		if err != nil {
			return err
		}
		// Other users' posts lose this user's likes and comments: fix their
		// counters before the cascade removes the rows.
		if _, err := t.exec(ctx, qUnlikeAll, id, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, qUncommentAll, id, id, id); err != nil {
			return err
		}
		for chunk := range slices.Chunk(posts, postIDsChunk) {
			if _, err := t.exec(ctx, deletePostsNotesQuery(len(chunk)), anySlice(chunk)...); err != nil {
				return err
			}
		}
		if err := mustAffect(t.exec(ctx, qDeleteUser, id)); err != nil {
			return err
		}
		return queueDropped(ctx, t, gram.UserPrefix(id))
	})
	return s.wrap("delete user", err)
}

// lockUserAndPosts locks (on PostgreSQL) the user's posts, then the user,
// and returns the posts' ids, or gram.ErrNotFound if there is no such user. Holding the user
// row makes a concurrent like or comment by the user either finish before
// the counters are fixed or fail on its foreign key afterwards, so no
// counter drifts. Locking the posts first takes the locks in the order a
// like or comment on one of these posts does (post, then the recipient
// user), so the two never deadlock.
func lockUserAndPosts(ctx context.Context, t tx, id string) ([]string, error) {
	posts, err := queryAll(ctx, t, scanID, `SELECT id FROM posts WHERE author_id = ?`+t.d.forUpdate, id)
	if err != nil {
		return nil, err
	}
	return posts, lockUser(ctx, t, id)
}

// lockUser locks (on PostgreSQL) the user's row until t ends, or returns
// sql.ErrNoRows if there is no such user.
func lockUser(ctx context.Context, t tx, id string) error {
	var one int
	return t.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`+t.d.forUpdate, id).Scan(&one)
}

// likeEscape escapes LIKE wildcards so the query matches literally.
func likeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// Search is two queries: prefix matches, a range of a username index
// (usernames compare bytewise on both dialects: SQLite's BINARY collation,
// COLLATE "C" on PostgreSQL), then other matches: on PostgreSQL a lookup
// of the trigram index (migration 0005), on SQLite a walk of the active
// usernames in name order that stops at the limit (docs/query-plans.md).
const (
	qSearchPrefix = `SELECT ` + userColumns + ` FROM users
		WHERE active AND username >= ? AND username < ? ORDER BY username LIMIT ?`
	qSearchInfix = `SELECT ` + userColumns + ` FROM users
		WHERE active AND username LIKE ? ESCAPE '\' AND username NOT LIKE ? ESCAPE '\' ORDER BY username LIMIT ?`
)

func (s *Store) SearchUsers(ctx context.Context, query string, limit int) ([]*gram.User, error) {
	if !storable(query) {
		return []*gram.User{}, nil
	}
	query = strings.ToLower(query)
	esc := likeEscape(query)
	// Prefix matches use the username index; the substring pass fills up.
	prefix, err := queryAll(ctx, s, scanUser, qSearchPrefix, query, query+"\uffff", limit)
	if err != nil || len(prefix) >= limit {
		return prefix, s.wrap("search users", err)
	}
	rest, err := queryAll(ctx, s, scanUser, qSearchInfix, "%"+esc+"%", esc+"%", limit-len(prefix))
	if err != nil {
		return nil, s.wrap("search users", err)
	}
	return append(prefix, rest...), nil
}

// SampleUsers reads a range of the primary key from fromID, then wraps
// around to the start.
const (
	qSampleFrom = `SELECT ` + userColumns + ` FROM users WHERE active AND id >= ? ORDER BY id LIMIT ?`
	qSampleWrap = `SELECT ` + userColumns + ` FROM users WHERE active AND id < ? ORDER BY id LIMIT ?`
)

func (s *Store) SampleUsers(ctx context.Context, fromID string, limit int) ([]*gram.User, error) {
	out, err := queryAll(ctx, s, scanUser, qSampleFrom, fromID, limit)
	if err != nil || len(out) >= limit {
		return out, s.wrap("sample users", err)
	}
	// Wrap around to the start of the id space.
	more, err := queryAll(ctx, s, scanUser, qSampleWrap, fromID, limit-len(out))
	if err != nil {
		return nil, s.wrap("sample users", err)
	}
	return append(out, more...), nil
}

func (s *Store) UsersByIDs(ctx context.Context, ids []string) ([]*gram.User, error) {
	if len(ids) == 0 {
		return []*gram.User{}, nil
	}
	out, err := queryAll(ctx, s, scanUser, `SELECT `+userColumns+` FROM users WHERE id IN (`+placeholders(len(ids))+`)`, anySlice(ids)...)
	return out, s.wrap("users by ids", err)
}
