package api

import "net/http"

// routes registers every endpoint. Paths have no trailing slash: the
// middleware strips it. Literal segments are registered next to the
// {id} patterns and win by specificity, so "/posts/upload" never reaches
// the post-detail handler. Every API route but login is in one rate-limit
// class (signup, reset, account, write or read); login counts its own,
// per account (loginLimit); health checks and media are in none. Handlers
// are served to anyone (handle), to a logged-in user only (requireUser), or
// to anyone with the user when there is one (optionalUser).
func (s *Server) routes(mux *http.ServeMux) {
	signup, reset, account := s.limitBy(classSignup), s.limitBy(classReset), s.limitBy(classAccount)
	write, read := s.limitBy(classWrite), s.limitBy(classRead)
	// A route that moves a file has the upload deadline (deadline.go).
	file := func(pattern string, h http.Handler) {
		s.fileRoutes[pattern] = true
		mux.Handle(pattern, h)
	}

	mux.Handle("GET /{$}", s.handle(s.handleWelcome))
	mux.Handle("GET /healthz", s.handle(s.handleHealthz))
	mux.Handle("GET /readyz", s.handle(s.handleReadyz))
	file("GET /media/{key...}", s.handle(s.handleMedia))
	// "/media/" arrives as "/media" (trimSlash); without this route the mux
	// would redirect it back to "/media/", in a loop.
	file("GET /media", s.handle(s.handleMedia))

	// Users (the original API's U1-U19).
	mux.Handle("GET /instamern/users", read(s.optionalUser(s.handleSuggestUsers)))
	mux.Handle("GET /instamern/users/id/{id}", read(s.handle(s.handleUserByID)))
	mux.Handle("GET /instamern/users/username/{username}", read(s.handle(s.handleUserByUsername)))
	mux.Handle("GET /instamern/users/search/{username}", read(s.handle(s.handleSearchUsers)))
	mux.Handle("POST /instamern/users/signup", signup(s.handle(s.handleSignup)))
	mux.Handle("POST /instamern/users/login", s.handle(s.handleLogin)) // loginLimit
	mux.Handle("POST /instamern/users/forgot-password", reset(s.handle(s.handleForgotPassword)))
	mux.Handle("PATCH /instamern/users/reset-password/{token}", reset(s.handle(s.handleResetPassword)))
	mux.Handle("GET /instamern/users/authorization/current-user", read(s.requireUser(s.handleCurrentUser)))
	mux.Handle("POST /instamern/users/follow/{username}", write(s.requireUser(s.handleFollow)))
	mux.Handle("POST /instamern/users/unfollow/{username}", write(s.requireUser(s.handleUnfollow)))
	file("POST /instamern/users/upload", write(s.requireUser(s.handleUploadAvatar)))
	mux.Handle("POST /instamern/users/remove", write(s.requireUser(s.handleRemoveAvatar)))
	mux.Handle("POST /instamern/users/logout", write(s.handle(s.handleLogout)))
	mux.Handle("PATCH /instamern/users/update", write(s.requireUser(s.handleUpdateProfile)))
	mux.Handle("PATCH /instamern/users/change-email", account(s.requireUser(s.handleChangeEmail)))
	mux.Handle("GET /instamern/users/confirm-email/{token}", account(s.handle(s.handleConfirmEmailPage)))
	mux.Handle("POST /instamern/users/confirm-email/{token}", account(s.handle(s.handleConfirmEmail)))
	mux.Handle("PATCH /instamern/users/change-password", account(s.requireUser(s.handleChangePassword)))
	mux.Handle("DELETE /instamern/users/deactivate", account(s.requireUser(s.handleDeactivate)))
	mux.Handle("DELETE /instamern/users/delete", account(s.requireUser(s.handleDeleteAccount)))
	mux.Handle("GET /instamern/users/sessions", read(s.requireUser(s.handleSessions)))
	mux.Handle("DELETE /instamern/users/sessions", write(s.requireUser(s.handleEndOtherSessions)))
	mux.Handle("DELETE /instamern/users/sessions/{id}", write(s.requireUser(s.handleEndSession)))

	// Posts and comments (P1-P8) and stories (S1-S2, plus delete).
	mux.Handle("GET /instamern/posts", read(s.handle(s.handleFeed)))
	mux.Handle("GET /instamern/posts/{id}", read(s.handle(s.handlePost)))
	file("POST /instamern/posts/upload", write(s.requireUser(s.handleUploadPost)))
	mux.Handle("POST /instamern/posts/like/{id}", write(s.requireUser(s.handleLikePost)))
	mux.Handle("POST /instamern/posts/update/{id}", write(s.requireUser(s.handleUpdatePost)))
	mux.Handle("DELETE /instamern/posts/delete/{id}", write(s.requireUser(s.handleDeletePost)))
	mux.Handle("POST /instamern/posts/comments/{id}", write(s.requireUser(s.handleComment)))
	mux.Handle("DELETE /instamern/posts/comments/{id}", write(s.requireUser(s.handleDeleteComment)))
	mux.Handle("GET /instamern/stories", read(s.optionalUser(s.handleStories)))
	file("POST /instamern/stories/upload", write(s.requireUser(s.handleUploadStory)))
	mux.Handle("DELETE /instamern/stories/{id}", write(s.requireUser(s.handleDeleteStory)))

	// Staff (moderators and admins; the domain checks who may do what).
	// All count as writes, reads included: they are rare and costly.
	staff := func(h handlerFunc) http.Handler { return write(s.requireUser(h)) }
	mux.Handle("GET /instamern/admin/users", staff(s.handleAdminUsers))
	mux.Handle("POST /instamern/admin/users/{id}/suspend", staff(s.handleSuspend))
	mux.Handle("POST /instamern/admin/users/{id}/unsuspend", staff(s.handleUnsuspend))
	mux.Handle("PATCH /instamern/admin/users/{id}/role", staff(s.handleSetRole))
	mux.Handle("DELETE /instamern/admin/posts/{id}", staff(s.handleModerateDeletePost))
	mux.Handle("DELETE /instamern/admin/comments/{id}", staff(s.handleModerateDeleteComment))
	mux.Handle("DELETE /instamern/admin/stories/{id}", staff(s.handleModerateDeleteStory))
	mux.Handle("GET /instamern/admin/audit", staff(s.handleAudit))

	// SES bounces and complaints through SNS, when a topic is configured.
	if s.cfg.SNSTopicARN != "" {
		mux.Handle("POST /instamern/webhooks/ses", write(s.handle(s.handleSESWebhook)))
	}
}
