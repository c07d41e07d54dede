package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// handleFeed serves a page of the feed: post documents with exact counts.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	feed, err := s.svc.Feed(r.Context(), page)
	if err != nil {
		return err
	}
	items := make([]postView, 0, len(feed.Posts))
	for _, p := range feed.Posts {
		items = append(items, s.postView(r.Context(), p, feed.Likes[p.ID]))
	}
	var next string
	if feed.Next.HasCursor() {
		next = cursor(feed.Next.CursorAt, feed.Next.CursorID)
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(items)), Next: next, Data: map[string]any{"posts": items}})
}

// pageParams reads ?limit= and ?before= (a cursor from a previous page's
// "next").
func pageParams(r *http.Request) (gram.Page, error) {
	var p gram.Page
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, gram.Errorf(gram.EINVALID, "The limit must be a positive whole number.")
		}
		p.Limit = n
	}
	if v := q.Get("before"); v != "" {
		at, id, ok := parseCursor(v)
		if !ok {
			return p, gram.Errorf(gram.EINVALID, "The cursor is not valid.")
		}
		p.CursorAt, p.CursorID = at, id
	}
	return p, nil
}

// cursor encodes a position as "<unix ms>_<id>".
func cursor(at time.Time, id string) string { return strconv.FormatInt(at.UnixMilli(), 10) + "_" + id }

func parseCursor(s string) (time.Time, string, bool) {
	msPart, id, found := strings.Cut(s, "_")
	v, err := strconv.ParseInt(msPart, 10, 64)
	if !found || err != nil || v < 0 || !gram.ValidID(id) {
		return time.Time{}, "", false
	}
	return time.UnixMilli(v).UTC(), id, true
}

// detailView is the post detail (P2).
type detailView struct {
	postView
	Comments []commentView `json:"comments"`
}

type commentView struct {
	ID            string `json:"_id"`
	Comment       string `json:"comment"`
	CommentedBy   string `json:"commentedBy"`
	CommentedPost string `json:"commentedPost"`
	CommentedAt   string `json:"commentedAt"`
}

func (s *Server) handlePost(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.PostByID(r.Context(), r.PathValue("id"), gram.Page{})
	if err != nil {
		return err
	}
	cs := make([]commentView, 0, len(d.Comments))
	for _, c := range d.Comments {
		cs = append(cs, commentView{ID: c.ID, Comment: c.Text, CommentedBy: c.AuthorID, CommentedPost: c.PostID, CommentedAt: isoTime(c.CreatedAt)})
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"post": detailView{postView: s.postView(r.Context(), d.Post, d.Likes), Comments: cs}}})
}

func (s *Server) handleUploadPost(w http.ResponseWriter, r *http.Request) error {
	up, err := s.readUpload(w, r, "post", "caption")
	if err != nil {
		return err
	}
	if up.file == nil {
		return gram.Errorf(gram.EINVALID, "No post photo found to upload.")
	}
	p, err := s.svc.CreatePost(r.Context(), currentUser(r.Context()), up.fields["caption"], up.file)
	if err != nil {
		return err
	}
	return ok(w, http.StatusCreated, envelope{Message: "Your post has been uploaded successfully.",
		Data: map[string]any{"post": s.postView(r.Context(), p, nil)}})
}

func (s *Server) handleLikePost(w http.ResponseWriter, r *http.Request) error {
	liked, err := s.svc.ToggleLike(r.Context(), currentUser(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	msg := "Unliked."
	if liked {
		msg = "Liked!"
	}
	return ok(w, http.StatusOK, envelope{Message: msg})
}

func (s *Server) handleUpdatePost(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]any
	if err := s.decodeBody(w, r, &raw); err != nil {
		return err
	}
	for field, msg := range map[string]string{"photo": "You cannot change the post photo.",
		"postedBy": "You cannot change post owner.", "postedAt": "You cannot change post's date."} {
		if _, found := raw[field]; found {
			return &gram.Error{Code: gram.EINVALID, Message: msg}
		}
	}
	var in struct {
		Caption string `json:"caption"`
	}
	if err := redecode(raw, &in); err != nil {
		return err
	}
	if err := s.svc.UpdatePost(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Caption); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your post has been updated successfully.", Data: nullData{}})
}

func (s *Server) handleDeletePost(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeletePost(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your post has been deleted.", Data: nullData{}})
}

func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Comment string `json:"comment"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	c, err := s.svc.AddComment(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Comment)
	if err != nil {
		return err
	}
	return ok(w, http.StatusCreated, envelope{Message: "Commented!", Data: map[string]any{"comment": commentView{
		ID: c.ID, Comment: c.Text, CommentedBy: c.AuthorID, CommentedPost: c.PostID, CommentedAt: isoTime(c.CreatedAt)}}})
}

func (s *Server) handleDeleteComment(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteComment(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your comment has been deleted.", Data: nullData{}})
}
