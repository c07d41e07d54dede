package api

import (
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// commentView is a comment, in a post detail or as just written.
type commentView struct {
	ID            string `json:"_id"`
	Comment       string `json:"comment"`
	CommentedBy   string `json:"commentedBy"`
	CommentedPost string `json:"commentedPost"`
	CommentedAt   string `json:"commentedAt"`
}

func newCommentView(c *gram.Comment) commentView {
	return commentView{ID: c.ID, Comment: c.Text, CommentedBy: c.AuthorID, CommentedPost: c.PostID, CommentedAt: isoTime(c.CreatedAt)}
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
	return ok(w, http.StatusCreated, envelope{Message: "Commented!", Data: map[string]any{"comment": newCommentView(c)}})
}

func (s *Server) handleDeleteComment(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteComment(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your comment has been deleted.", Data: nullData{}})
}
