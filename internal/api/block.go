package api

import (
	"context"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// edgeAction is a change of how the caller stands to the user named in
// the path (block, mute, a follow request's answer): the domain call and
// the message of its success, which ends with the other's username.
func (s *Server) edgeAction(act func(context.Context, *gram.User, string) (*gram.User, error), msg string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := act(r.Context(), currentUser(r.Context()), r.PathValue("username"))
		if err != nil {
			return err
		}
		return ok(w, http.StatusOK, envelope{Message: msg + t.Username + "."})
	}
}

// edgeCard is an account in a list of blocks, mutes or follow requests,
// with when the edge was made.
type edgeCard struct {
	userCard
	Since string `json:"since"`
}

// edgeList serves a page of the caller's blocks, mutes or follow
// requests: data.users, newest first, with next while more follow.
func (s *Server) edgeList(list func(context.Context, *gram.User, gram.Page) (*gram.EdgePage, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		page, err := pageParams(r)
		if err != nil {
			return err
		}
		p, err := list(r.Context(), currentUser(r.Context()), page)
		if err != nil {
			return err
		}
		out := make([]edgeCard, 0, len(p.Users))
		for _, u := range p.Users {
			out = append(out, edgeCard{userCard: s.userCard(r.Context(), u), Since: isoTime(p.Since[u.ID])})
		}
		return ok(w, http.StatusOK, envelope{Results: count(len(out)), Next: nextCursor(p.Next), Data: map[string]any{"users": out}})
	}
}

func (s *Server) handleSetPrivacy(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Private *bool `json:"private"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Private == nil {
		return gram.Errorf(gram.EINVALID, "Please say whether your account is private (private: true or false).")
	}
	u, err := s.svc.SetPrivate(r.Context(), currentUser(r.Context()), *in.Private)
	if err != nil {
		return err
	}
	msg := "Your account is public now."
	if u.Private {
		msg = "Your account is private now: only your approved followers see your posts, stories and follow lists."
	}
	return ok(w, http.StatusOK, envelope{Message: msg, Data: map[string]any{"private": u.Private}})
}
