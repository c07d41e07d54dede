package api

import "net/http"

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
