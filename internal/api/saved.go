package api

import "net/http"

// handleSavePost saves a post for the caller; saving it again is no error.
func (s *Server) handleSavePost(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.SavePost(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Saved."})
}

// handleUnsavePost removes the caller's save of a post, if any.
func (s *Server) handleUnsavePost(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.UnsavePost(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Removed from your saved posts."})
}

// handleSavedPosts serves a page of the caller's saved posts, most
// recently saved first.
func (s *Server) handleSavedPosts(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	sp, err := s.svc.SavedPosts(r.Context(), currentUser(r.Context()), page)
	if err != nil {
		return err
	}
	saved := make(map[string]bool, len(sp.Posts))
	for _, p := range sp.Posts {
		saved[p.ID] = true
	}
	return s.postsPage(w, r, sp.Posts, sp.Likes, sp.Next, saved)
}
