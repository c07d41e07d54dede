package api

import (
	"context"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// The staff API under /instamern/admin. Handlers only decode and encode:
// who may do what, the reasons and the audit log are the domain's.

// staffUserView is a user as staff see it: with the email, role and
// account state that no public payload carries.
type staffUserView struct {
	userCard
	Email         string `json:"email"`
	Role          string `json:"role"`
	Active        bool   `json:"active"`
	Suspended     bool   `json:"suspended"`
	SuspendedAt   string `json:"suspendedAt,omitempty"`
	SuspendedBy   string `json:"suspendedBy,omitempty"`
	SuspendReason string `json:"suspendReason,omitempty"`
	CreatedAt     string `json:"createdAt"`
}

func (s *Server) staffUserView(r *http.Request, u *gram.User) staffUserView {
	v := staffUserView{userCard: s.userCard(r.Context(), u), Email: u.Email, Role: u.Role, Active: u.Active,
		Suspended: u.Suspended(), SuspendedBy: u.SuspendedBy, SuspendReason: u.SuspendReason, CreatedAt: isoTime(u.CreatedAt)}
	if u.Suspended() {
		v.SuspendedAt = isoTime(u.SuspendedAt)
	}
	return v
}

type auditView struct {
	ID         string `json:"_id"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	TargetType string `json:"targetType"`
	TargetID   string `json:"targetId"`
	Detail     string `json:"detail,omitempty"`
	Reason     string `json:"reason"`
	CreatedAt  string `json:"createdAt"`
}

// handleAdminUsers lists accounts: ?q= filters on username or email,
// ?limit= and ?before= page.
func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	res, err := s.svc.ListUsers(r.Context(), currentUser(r.Context()), r.URL.Query().Get("q"), page)
	if err != nil {
		return err
	}
	users := make([]staffUserView, 0, len(res.Users))
	for _, u := range res.Users {
		users = append(users, s.staffUserView(r, u))
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(users)), Next: nextCursor(res.Next), Data: map[string]any{"users": users}})
}

// reason reads the reason of a staff action from the JSON body
// {"reason": ...} or, for requests without a body, from ?reason=.
func (s *Server) reason(w http.ResponseWriter, r *http.Request, dst *reasonBody) error {
	if err := s.decodeBody(w, r, dst); err != nil {
		return err
	}
	if dst.Reason == "" {
		dst.Reason = r.URL.Query().Get("reason")
	}
	return nil
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (s *Server) handleSuspend(w http.ResponseWriter, r *http.Request) error {
	return s.moderateUser(w, r, s.svc.Suspend, "The account has been suspended.")
}

func (s *Server) handleUnsuspend(w http.ResponseWriter, r *http.Request) error {
	return s.moderateUser(w, r, s.svc.Unsuspend, "The account is no longer suspended.")
}

// moderateUser runs a suspend or unsuspend and answers with the account.
func (s *Server) moderateUser(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, actor *gram.User, id, reason string) (*gram.User, error), msg string) error {
	var in reasonBody
	if err := s.reason(w, r, &in); err != nil {
		return err
	}
	u, err := act(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: msg, Data: map[string]any{"user": s.staffUserView(r, u)}})
}

func (s *Server) handleSetRole(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Role   string `json:"role"`
		Reason string `json:"reason"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u, err := s.svc.SetRole(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Role, in.Reason)
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "The role of " + u.Username + " is now " + u.Role + ".",
		Data: map[string]any{"user": s.staffUserView(r, u)}})
}

func (s *Server) handleModerateDeletePost(w http.ResponseWriter, r *http.Request) error {
	return s.moderateDelete(w, r, s.svc.ModerateDeletePost, "The post has been deleted.")
}

func (s *Server) handleModerateDeleteComment(w http.ResponseWriter, r *http.Request) error {
	return s.moderateDelete(w, r, s.svc.ModerateDeleteComment, "The comment has been deleted.")
}

func (s *Server) handleModerateDeleteStory(w http.ResponseWriter, r *http.Request) error {
	return s.moderateDelete(w, r, s.svc.ModerateDeleteStory, "The story has been deleted.")
}

func (s *Server) moderateDelete(w http.ResponseWriter, r *http.Request,
	del func(ctx context.Context, actor *gram.User, id, reason string) error, msg string) error {
	var in reasonBody
	if err := s.reason(w, r, &in); err != nil {
		return err
	}
	if err := del(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Reason); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: msg, Data: nullData{}})
}

// handleAudit serves the audit log, newest first, paged like the feed.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	res, err := s.svc.AuditEntries(r.Context(), currentUser(r.Context()), page)
	if err != nil {
		return err
	}
	entries := make([]auditView, 0, len(res.Entries))
	for _, e := range res.Entries {
		entries = append(entries, auditView{ID: e.ID, Actor: e.ActorID, Action: e.Action, TargetType: e.TargetType,
			TargetID: e.TargetID, Detail: e.Detail, Reason: e.Reason, CreatedAt: isoTime(e.CreatedAt)})
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(entries)), Next: nextCursor(res.Next), Data: map[string]any{"entries": entries}})
}
