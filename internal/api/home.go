package api

import "net/http"

// handleHomeFeed serves a page of the caller's home feed: the posts of
// the accounts they follow and their own, in the feed's shape.
func (s *Server) handleHomeFeed(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	feed, err := s.svc.HomeFeed(r.Context(), currentUser(r.Context()), page)
	if err != nil {
		return err
	}
	return s.postsPage(w, r, feed.Posts, feed.Likes, feed.Next, nil)
}
