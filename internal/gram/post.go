package gram

import "time"

// Post is a photo with a caption. LikeCount and CommentCount are kept by
// the store in the same transaction as the like or comment they count.
type Post struct {
	ID           string
	AuthorID     string
	Caption      string
	PhotoKey     string
	CreatedAt    time.Time
	LikeCount    int
	CommentCount int
}

// CanEdit reports whether u may update or delete p.
func (p *Post) CanEdit(u *User) bool {
	return u != nil && (p.AuthorID == u.ID || u.IsStaff())
}

// Page selects one page of a list ordered by (CreatedAt, ID). The cursor is
// the (CreatedAt, ID) of the last item of the previous page; a zero cursor
// means the first page.
type Page struct {
	Limit    int
	CursorAt time.Time
	CursorID string
}

// HasCursor reports whether p continues a previous page.
func (p Page) HasCursor() bool { return p.CursorID != "" }
