package gram

import "time"

// Comment is a user's comment on a post.
type Comment struct {
	ID        string
	PostID    string
	AuthorID  string
	Text      string
	CreatedAt time.Time
}

// CanDelete reports whether u may delete c, which was written on post p:
// the comment's author, the post's author, and staff may.
func (c *Comment) CanDelete(u *User, p *Post) bool {
	return u != nil && (c.AuthorID == u.ID || (p != nil && p.AuthorID == u.ID) || u.IsStaff())
}
