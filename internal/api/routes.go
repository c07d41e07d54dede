package api

import "net/http"

// routes registers every endpoint. Paths have no trailing slash: the
// middleware strips it. Literal segments are registered next to the
// {id} patterns and win by specificity, so "/posts/upload" never reaches
// the post-detail handler. Every API route but login is in one rate-limit
// class (signup, reset, account, write or read); login counts its own,
// per account (loginLimit); health checks, the API description, its docs
// page and media are in none. Handlers are served to anyone (handle), to a
// logged-in user only (requireUser), or to anyone with the user when there
// is one (optionalUser).
func (s *Server) routes(mux *http.ServeMux) {
	signup, reset, account := s.limitBy(classSignup), s.limitBy(classReset), s.limitBy(classAccount)
	write, read := s.limitBy(classWrite), s.limitBy(classRead)
	// Every route is registered through route, which records its pattern
	// (the OpenAPI description must list each one). A route that moves a
	// file has the upload deadline (deadline.go).
	route := func(pattern string, h http.Handler) {
		s.patterns = append(s.patterns, pattern)
		mux.Handle(pattern, h)
	}
	file := func(pattern string, h http.Handler) {
		s.fileRoutes[pattern] = true
		route(pattern, h)
	}

	route("GET /{$}", s.handle(s.handleWelcome))
	route("GET /healthz", s.handle(s.handleHealthz))
	route("GET /readyz", s.handle(s.handleReadyz))
	route("GET /openapi.json", s.handle(s.handleOpenAPI))
	route("GET /docs", s.handle(s.handleDocs))
	file("GET /media/{key...}", s.handle(s.handleMedia))
	// "/media/" arrives as "/media" (trimSlash); without this route the mux
	// would redirect it back to "/media/", in a loop.
	file("GET /media", s.handle(s.handleMedia))

	// Users (the original API's U1-U19).
	route("GET /instamern/users", read(s.optionalUser(s.handleSuggestUsers)))
	route("GET /instamern/users/id/{id}", read(s.optionalUser(s.handleUserByID)))
	route("GET /instamern/users/username/{username}", read(s.optionalUser(s.handleUserByUsername)))
	route("GET /instamern/users/search/{username}", read(s.optionalUser(s.handleSearchUsers)))
	route("POST /instamern/users/signup", signup(s.handle(s.handleSignup)))
	route("POST /instamern/users/login", s.handle(s.handleLogin)) // loginLimit
	route("POST /instamern/users/forgot-password", reset(s.handle(s.handleForgotPassword)))
	route("PATCH /instamern/users/reset-password/{token}", reset(s.handle(s.handleResetPassword)))
	route("GET /instamern/users/authorization/current-user", read(s.requireUser(s.handleCurrentUser)))
	route("POST /instamern/users/follow/{username}", write(s.requireUser(s.handleFollow)))
	route("POST /instamern/users/unfollow/{username}", write(s.requireUser(s.handleUnfollow)))
	file("POST /instamern/users/upload", write(s.requireUser(s.handleUploadAvatar)))
	route("POST /instamern/users/remove", write(s.requireUser(s.handleRemoveAvatar)))
	route("POST /instamern/users/logout", write(s.handle(s.handleLogout)))
	route("PATCH /instamern/users/update", write(s.requireUser(s.handleUpdateProfile)))
	route("PATCH /instamern/users/change-email", account(s.requireUser(s.handleChangeEmail)))
	route("GET /instamern/users/confirm-email/{token}", account(s.handle(s.handleConfirmEmailPage)))
	route("POST /instamern/users/confirm-email/{token}", account(s.handle(s.handleConfirmEmail)))
	route("PATCH /instamern/users/change-password", account(s.requireUser(s.handleChangePassword)))
	route("DELETE /instamern/users/deactivate", account(s.requireUser(s.handleDeactivate)))
	route("DELETE /instamern/users/delete", account(s.requireUser(s.handleDeleteAccount)))
	route("GET /instamern/users/sessions", read(s.requireUser(s.handleSessions)))
	route("POST /instamern/users/export", write(s.requireUser(s.handleRequestExport))) // and ExportLimit
	route("GET /instamern/users/export", read(s.requireUser(s.handleExportStatus)))
	file("GET /instamern/users/export/download/{token}", read(s.handle(s.handleExportDownload)))
	route("DELETE /instamern/users/sessions", write(s.requireUser(s.handleEndOtherSessions)))
	route("DELETE /instamern/users/sessions/{id}", write(s.requireUser(s.handleEndSession)))

	// Safety and privacy: blocks, mutes, the private setting and follow
	// requests (the domain's Relation decides who sees what).
	route("POST /instamern/users/block/{username}", write(s.requireUser(s.edgeAction(s.svc.Block, "You have blocked "))))
	route("POST /instamern/users/unblock/{username}", write(s.requireUser(s.edgeAction(s.svc.Unblock, "You have unblocked "))))
	route("POST /instamern/users/mute/{username}", write(s.requireUser(s.edgeAction(s.svc.Mute, "You have muted "))))
	route("POST /instamern/users/unmute/{username}", write(s.requireUser(s.edgeAction(s.svc.Unmute, "You have unmuted "))))
	route("GET /instamern/users/blocks", read(s.requireUser(s.edgeList(s.svc.BlockedUsers))))
	route("GET /instamern/users/mutes", read(s.requireUser(s.edgeList(s.svc.MutedUsers))))
	route("PATCH /instamern/users/privacy", write(s.requireUser(s.handleSetPrivacy)))
	route("GET /instamern/users/follow-requests", read(s.requireUser(s.edgeList(s.svc.FollowRequests))))
	route("POST /instamern/users/follow-requests/{username}/approve",
		write(s.requireUser(s.edgeAction(s.svc.ApproveFollowRequest, "You have approved the follow request of "))))
	route("POST /instamern/users/follow-requests/{username}/reject",
		write(s.requireUser(s.edgeAction(s.svc.RejectFollowRequest, "You have rejected the follow request of "))))
	route("DELETE /instamern/users/follow-requests/{username}",
		write(s.requireUser(s.edgeAction(s.svc.CancelFollowRequest, "You have withdrawn your follow request to "))))

	// Posts and comments (P1-P8) and stories (S1-S2, plus delete).
	route("GET /instamern/posts", read(s.optionalUser(s.handleFeed)))
	route("GET /instamern/posts/{id}", read(s.optionalUser(s.handlePost)))
	route("GET /instamern/posts/home", read(s.requireUser(s.handleHomeFeed)))
	route("GET /instamern/posts/saved", read(s.requireUser(s.handleSavedPosts)))
	route("POST /instamern/posts/save/{id}", write(s.requireUser(s.handleSavePost)))
	route("DELETE /instamern/posts/save/{id}", write(s.requireUser(s.handleUnsavePost)))
	file("POST /instamern/posts/upload", write(s.requireUser(s.handleUploadPost)))
	route("POST /instamern/posts/like/{id}", write(s.requireUser(s.handleLikePost)))
	route("POST /instamern/posts/update/{id}", write(s.requireUser(s.handleUpdatePost)))
	route("DELETE /instamern/posts/delete/{id}", write(s.requireUser(s.handleDeletePost)))
	route("POST /instamern/posts/comments/{id}", write(s.requireUser(s.handleComment)))
	route("DELETE /instamern/posts/comments/{id}", write(s.requireUser(s.handleDeleteComment)))
	route("GET /instamern/stories", read(s.optionalUser(s.handleStories)))
	file("POST /instamern/stories/upload", write(s.requireUser(s.handleUploadStory)))
	route("DELETE /instamern/stories/{id}", write(s.requireUser(s.handleDeleteStory)))

	// Reports of content and accounts, by any user.
	route("POST /instamern/reports", write(s.requireUser(s.handleFileReport)))
	route("GET /instamern/reports", read(s.requireUser(s.handleMyReports)))

	// Staff (moderators and admins; the domain checks who may do what).
	// All count as writes, reads included: they are rare and costly.
	staff := func(h handlerFunc) http.Handler { return write(s.requireUser(h)) }
	route("GET /instamern/admin/users", staff(s.handleAdminUsers))
	route("POST /instamern/admin/users/{id}/suspend", staff(s.handleSuspend))
	route("POST /instamern/admin/users/{id}/unsuspend", staff(s.handleUnsuspend))
	route("PATCH /instamern/admin/users/{id}/role", staff(s.handleSetRole))
	route("DELETE /instamern/admin/posts/{id}", staff(s.handleModerateDeletePost))
	route("DELETE /instamern/admin/comments/{id}", staff(s.handleModerateDeleteComment))
	route("DELETE /instamern/admin/stories/{id}", staff(s.handleModerateDeleteStory))
	route("GET /instamern/admin/audit", staff(s.handleAudit))
	route("GET /instamern/admin/reports", staff(s.handleReportQueue))
	route("GET /instamern/admin/reports/{id}", staff(s.handleReport))
	route("POST /instamern/admin/reports/{id}/resolve", staff(s.handleResolveReport))

	// SES bounces and complaints through SNS, when a topic is configured.
	if s.cfg.SNSTopicARN != "" {
		route("POST /instamern/webhooks/ses", write(s.handle(s.handleSESWebhook)))
	}
}
