package api

import (
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

type storyItem struct {
	StoryID   string `json:"storyId"`
	Photo     string `json:"photo"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

type storyGroup struct {
	ID      string      `json:"_id"`
	Stories []storyItem `json:"stories"`
}

func (s *Server) handleStories(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.svc.ActiveStories(r.Context(), currentUser(r.Context()))
	if err != nil {
		return err
	}
	out := make([]storyGroup, 0, len(groups))
	for _, g := range groups {
		items := make([]storyItem, 0, len(g.Stories))
		for _, st := range g.Stories {
			items = append(items, storyItem{StoryID: st.ID, Photo: s.mediaURL(r.Context(), st.PhotoKey),
				CreatedAt: isoTime(st.CreatedAt), ExpiresAt: isoTime(st.ExpiresAt)})
		}
		out = append(out, storyGroup{ID: g.UserID, Stories: items})
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(out)), Data: map[string]any{"stories": out}})
}

type storyView struct {
	ID        string `json:"_id"`
	Photo     string `json:"photo"`
	StoriedBy string `json:"storiedBy"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

func (s *Server) handleUploadStory(w http.ResponseWriter, r *http.Request) error {
	up, err := s.readUpload(w, r, "story")
	if err != nil {
		return err
	}
	defer up.Close()
	if up.file == nil {
		return gram.Errorf(gram.EINVALID, "Couldn't find any story to share.")
	}
	st, err := s.svc.CreateStory(r.Context(), currentUser(r.Context()), up.file)
	if err != nil {
		return err
	}
	return ok(w, http.StatusCreated, envelope{Message: "Story has been uploaded.", Data: map[string]any{"story": storyView{
		ID: st.ID, Photo: s.mediaURL(r.Context(), st.PhotoKey), StoriedBy: st.UserID,
		CreatedAt: isoTime(st.CreatedAt), ExpiresAt: isoTime(st.ExpiresAt)}}})
}

func (s *Server) handleDeleteStory(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteStory(r.Context(), currentUser(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your story has been deleted.", Data: nullData{}})
}
