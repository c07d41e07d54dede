package api

import (
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

func (s *Server) handleUploadAvatar(w http.ResponseWriter, r *http.Request) error {
	up, err := s.readUpload(w, r, "photo")
	if err != nil {
		return err
	}
	defer up.Close()
	if up.file == nil {
		return gram.Errorf(gram.EINVALID, "No photo found to upload.")
	}
	u, err := s.svc.SetAvatar(r.Context(), currentUser(r.Context()), up.file)
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Profile photo has been updated successfully.",
		Data: map[string]any{"url": s.mediaURL(r.Context(), u.PhotoKey)}})
}

func (s *Server) handleRemoveAvatar(w http.ResponseWriter, r *http.Request) error {
	had, err := s.svc.RemoveAvatar(r.Context(), currentUser(r.Context()))
	if err != nil {
		return err
	}
	msg := "Your profile picture has been removed successfully."
	if !had {
		msg = "No profile picture found. Nothing to delete."
	}
	return ok(w, http.StatusOK, envelope{Message: msg, Data: nullData{}})
}
