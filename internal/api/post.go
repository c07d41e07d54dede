package api

import (
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// handleFeed serves a page of the feed: post documents with exact counts.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	feed, err := s.svc.Feed(r.Context(), currentUser(r.Context()), page)
	if err != nil {
		return err
	}
	return s.postsPage(w, r, feed.Posts, feed.Likes, feed.Next, nil)
}

// postsPage answers a page of posts with their likers and, for a
// logged-in viewer, whether they saved each: saved when the caller knows
// it, else one store query for the whole page.
func (s *Server) postsPage(w http.ResponseWriter, r *http.Request, posts []*gram.Post, likes map[string][]string, next gram.Page, saved map[string]bool) error {
	viewer := currentUser(r.Context())
	if saved == nil && viewer != nil {
		var err error
		if saved, err = s.svc.SavedAmong(r.Context(), viewer, posts); err != nil {
			return err
		}
	}
	items := make([]postView, 0, len(posts))
	for _, p := range posts {
		v := s.postView(r.Context(), p, likes[p.ID])
		if viewer != nil {
			v.Saved = new(saved[p.ID])
		}
		items = append(items, v)
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(items)), Next: nextCursor(next), Data: map[string]any{"posts": items}})
}

// detailView is the post detail (P2).
type detailView struct {
	postView
	Comments []commentView `json:"comments"`
}

func (s *Server) handlePost(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.PostByID(r.Context(), currentUser(r.Context()), r.PathValue("id"), gram.Page{})
	if err != nil {
		return err
	}
	cs := make([]commentView, 0, len(d.Comments))
	for _, c := range d.Comments {
		cs = append(cs, newCommentView(c))
	}
	v := s.postView(r.Context(), d.Post, d.Likes)
	if viewer := currentUser(r.Context()); viewer != nil {
		saved, err := s.svc.SavedAmong(r.Context(), viewer, []*gram.Post{d.Post})
		if err != nil {
			return err
		}
		v.Saved = new(saved[d.Post.ID])
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"post": detailView{postView: v, Comments: cs}}})
}

func (s *Server) handleUploadPost(w http.ResponseWriter, r *http.Request) error {
	up, err := s.readUpload(w, r, "post", "caption")
	if err != nil {
		return err
	}
	defer up.Close()
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
