package api

import "net/http"

func (s *Server) handleFollow(w http.ResponseWriter, r *http.Request) error {
	t, requested, err := s.svc.Follow(r.Context(), currentUser(r.Context()), r.PathValue("username"))
	switch {
	case err != nil:
		return err
	case requested:
		// The original client shows the message of any success: the
		// follow button keeps working on a private account.
		return ok(w, http.StatusOK, envelope{Message: "Your follow request has been sent to " + t.Username + "."})
	}
	return ok(w, http.StatusOK, envelope{Message: "Now, you are following " + t.Username})
}

func (s *Server) handleUnfollow(w http.ResponseWriter, r *http.Request) error {
	t, err := s.svc.Unfollow(r.Context(), currentUser(r.Context()), r.PathValue("username"))
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Now, you aren't following " + t.Username})
}
