package api

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The JSON shapes of the original API's documents. References are plain id strings;
// private fields (password hash, reset tokens, other people's email and
// notifications) never appear in any of them.

// isoTime formats like the original: ISO-8601 UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// mediaURL returns the absolute URL of a blob key, "" when there is none.
func (s *Server) mediaURL(ctx context.Context, key string) string {
	if key == "" {
		return ""
	}
	u, err := s.svc.MediaURL(ctx, key)
	if err != nil {
		s.log.WarnContext(ctx, "media url", "key", key, "err", err)
		return ""
	}
	return u
}

// userCard is a user in lists (suggestions, search).
type userCard struct {
	ID        string `json:"_id"`
	IDCopy    string `json:"id"`
	Username  string `json:"username"`
	Firstname string `json:"firstname"`
	Lastname  string `json:"lastname"`
	Bio       string `json:"bio"`
	Photo     string `json:"photo,omitempty"`
}

func (s *Server) userCard(ctx context.Context, u *gram.User) userCard {
	return userCard{ID: u.ID, IDCopy: u.ID, Username: u.Username, Firstname: u.Firstname, Lastname: u.Lastname,
		Bio: u.Bio, Photo: s.mediaURL(ctx, u.PhotoKey)}
}

func (s *Server) userCards(ctx context.Context, users []*gram.User) []userCard {
	out := make([]userCard, 0, len(users))
	for _, u := range users {
		out = append(out, s.userCard(ctx, u))
	}
	return out
}

// profileView is a public profile (U2, U3). Private says the account is
// private; Restricted that its lists are left empty because the viewer
// does not follow it.
type profileView struct {
	userCard
	Followers  []string   `json:"followers"`
	Followings []string   `json:"followings"`
	Posts      []postView `json:"posts"`
	CreatedAt  string     `json:"createdAt"`
	Private    bool       `json:"private"`
	Restricted bool       `json:"restricted,omitempty"`
}

func (s *Server) profileView(ctx context.Context, p *gram.Profile) profileView {
	posts := make([]postView, 0, len(p.Posts))
	for _, post := range p.Posts {
		posts = append(posts, s.postView(ctx, post, nil))
	}
	return profileView{userCard: s.userCard(ctx, p.User), Followers: nonNil(p.Followers), Followings: nonNil(p.Followings),
		Posts: posts, CreatedAt: isoTime(p.User.CreatedAt), Private: p.User.Private, Restricted: p.Restricted}
}

// meView is the caller's own account (U9 and the auth responses): the
// profile plus the private fields only its owner may see.
type meView struct {
	profileView
	Email         string             `json:"email"`
	Role          string             `json:"role"`
	Active        bool               `json:"active"`
	Notifications []notificationView `json:"notifications"`
}

type notificationView struct {
	ID           string `json:"_id"`
	NotifiedBy   string `json:"notifiedBy"`
	NotifiedTo   string `json:"notifiedTo"`
	Notification string `json:"notification"`
	Post         string `json:"post,omitempty"`
	New          bool   `json:"new"`
	CreatedAt    string `json:"createdAt"`
}

func (s *Server) meView(ctx context.Context, p *gram.Profile, notes []*gram.Notification) meView {
	nv := make([]notificationView, 0, len(notes))
	for _, n := range notes {
		text := gram.NotificationText(n.Kind)
		if text == "" {
			continue // a kind the original client cannot render (a report's outcome)
		}
		nv = append(nv, notificationView{ID: n.ID, NotifiedBy: n.ActorID, NotifiedTo: n.RecipientID,
			Notification: text, Post: n.PostID, New: !n.Seen, CreatedAt: isoTime(n.CreatedAt)})
	}
	return meView{profileView: s.profileView(ctx, p), Email: p.User.Email, Role: p.User.Role, Active: p.User.Active, Notifications: nv}
}

// postView is the post document shape (upload response, user.posts).
type postView struct {
	ID       string   `json:"_id"`
	IDCopy   string   `json:"id"`
	Caption  string   `json:"caption"`
	Photo    string   `json:"photo"`
	PostedBy string   `json:"postedBy"`
	Likes    []string `json:"likes"`
	PostedAt string   `json:"postedAt"`
	Like     int      `json:"like"`
	Comment  int      `json:"comment"`
	// Saved is whether the logged-in viewer saved the post; absent for
	// an anonymous reader and where it is not read (upload, profile).
	Saved *bool `json:"saved,omitempty"`
}

func (s *Server) postView(ctx context.Context, p *gram.Post, likes []string) postView {
	return postView{ID: p.ID, IDCopy: p.ID, Caption: p.Caption, Photo: s.mediaURL(ctx, p.PhotoKey), PostedBy: p.AuthorID,
		Likes: nonNil(likes), PostedAt: isoTime(p.CreatedAt), Like: p.LikeCount, Comment: p.CommentCount}
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
