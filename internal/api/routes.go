package api

import "net/http"

// routes registers every endpoint. Paths have no trailing slash: the
// middleware strips it. Literal segments are registered next to the
// {id} patterns and win by specificity, so "/posts/upload" never reaches
// the post-detail handler.
func (s *Server) routes(mux *http.ServeMux) {
	auth, write := s.cfg.AuthLimit, s.cfg.WriteLimit

	mux.HandleFunc("GET /{$}", s.handleWelcome)
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.HandleFunc("GET /media/{key...}", s.handleMedia)
	// "/media/" arrives as "/media" (trimSlash); without this route the mux
	// would redirect it back to "/media/", in a loop.
	mux.HandleFunc("GET /media", s.handleMedia)

	// Users (CONTRACT.md §5, U1-U19).
	mux.Handle("GET /instamern/users", s.optionalUser(s.handleSuggestUsers))
	mux.HandleFunc("GET /instamern/users/id/{id}", s.handleUserByID)
	mux.HandleFunc("GET /instamern/users/username/{username}", s.handleUserByUsername)
	mux.HandleFunc("GET /instamern/users/search/{username}", s.handleSearchUsers)
	mux.Handle("POST /instamern/users/signup", s.rateLimit("auth", auth, http.HandlerFunc(s.handleSignup)))
	mux.Handle("POST /instamern/users/login", s.rateLimit("auth", auth, http.HandlerFunc(s.handleLogin)))
	mux.Handle("POST /instamern/users/forgot-password", s.rateLimit("auth", auth, http.HandlerFunc(s.handleForgotPassword)))
	mux.Handle("PATCH /instamern/users/reset-password/{token}", s.rateLimit("auth", auth, http.HandlerFunc(s.handleResetPassword)))
	mux.Handle("GET /instamern/users/authorization/current-user", s.requireUser(s.handleCurrentUser))
	mux.Handle("POST /instamern/users/follow/{username}", s.rateLimit("write", write, s.requireUser(s.handleFollow)))
	mux.Handle("POST /instamern/users/unfollow/{username}", s.rateLimit("write", write, s.requireUser(s.handleUnfollow)))
	mux.Handle("POST /instamern/users/upload", s.rateLimit("write", write, s.requireUser(s.handleUploadAvatar)))
	mux.Handle("POST /instamern/users/remove", s.rateLimit("write", write, s.requireUser(s.handleRemoveAvatar)))
	mux.HandleFunc("POST /instamern/users/logout", s.handleLogout)
	mux.Handle("PATCH /instamern/users/update", s.rateLimit("write", write, s.requireUser(s.handleUpdateProfile)))
	mux.Handle("PATCH /instamern/users/change-email", s.rateLimit("auth", auth, s.requireUser(s.handleChangeEmail)))
	mux.Handle("GET /instamern/users/confirm-email/{token}", s.rateLimit("auth", auth, http.HandlerFunc(s.handleConfirmEmailPage)))
	mux.Handle("POST /instamern/users/confirm-email/{token}", s.rateLimit("auth", auth, http.HandlerFunc(s.handleConfirmEmail)))
	mux.Handle("PATCH /instamern/users/change-password", s.rateLimit("auth", auth, s.requireUser(s.handleChangePassword)))
	mux.Handle("DELETE /instamern/users/deactivate", s.rateLimit("auth", auth, s.requireUser(s.handleDeactivate)))
	mux.Handle("DELETE /instamern/users/delete", s.rateLimit("auth", auth, s.requireUser(s.handleDeleteAccount)))

	// Posts and comments (P1-P8) and stories (S1-S2, plus delete).
	mux.HandleFunc("GET /instamern/posts", s.handleFeed)
	mux.HandleFunc("GET /instamern/posts/{id}", s.handlePost)
	mux.Handle("POST /instamern/posts/upload", s.rateLimit("write", write, s.requireUser(s.handleUploadPost)))
	mux.Handle("POST /instamern/posts/like/{id}", s.rateLimit("write", write, s.requireUser(s.handleLikePost)))
	mux.Handle("POST /instamern/posts/update/{id}", s.rateLimit("write", write, s.requireUser(s.handleUpdatePost)))
	mux.Handle("DELETE /instamern/posts/delete/{id}", s.rateLimit("write", write, s.requireUser(s.handleDeletePost)))
	mux.Handle("POST /instamern/posts/comments/{id}", s.rateLimit("write", write, s.requireUser(s.handleComment)))
	mux.Handle("DELETE /instamern/posts/comments/{id}", s.rateLimit("write", write, s.requireUser(s.handleDeleteComment)))
	mux.Handle("GET /instamern/stories", s.optionalUser(s.handleStories))
	mux.Handle("POST /instamern/stories/upload", s.rateLimit("write", write, s.requireUser(s.handleUploadStory)))
	mux.Handle("DELETE /instamern/stories/{id}", s.rateLimit("write", write, s.requireUser(s.handleDeleteStory)))
}
