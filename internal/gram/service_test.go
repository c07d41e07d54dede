package gram

import (
	"context"
	"testing"
	"time"
)

// conflictStore finds every post, story and active user, and refuses every
// write the tests make with ErrConflict.
type conflictStore struct{ Store }

func (conflictStore) PostByID(_ context.Context, id string) (*Post, error) {
	return &Post{ID: id, AuthorID: "author"}, nil
}

func (conflictStore) StoryByID(_ context.Context, id string) (*Story, error) {
	return &Story{ID: id, UserID: "me"}, nil
}

func (conflictStore) UserByUsername(_ context.Context, name string) (*User, error) {
	return &User{ID: "id-" + name, Username: name, Active: true}, nil
}

func (conflictStore) UserByID(_ context.Context, id string) (*User, error) {
	return &User{ID: id, Username: id, Active: true}, nil
}

// Ties: nobody is tied to anybody.
func (conflictStore) Ties(context.Context, string, string) (Ties, error) { return Ties{}, nil }

func (conflictStore) ToggleLike(context.Context, string, string, time.Time, *Notification) (bool, error) {
	return false, ErrConflict
}

func (conflictStore) Follow(context.Context, string, string, time.Time, *Notification) (bool, error) {
	return false, ErrConflict
}

func (conflictStore) CreateComment(context.Context, *Comment, *Notification) error {
	return ErrConflict
}
func (conflictStore) UpdatePostCaption(context.Context, string, string) error { return ErrConflict }
func (conflictStore) DeleteStory(context.Context, string, *AuditEntry) error  { return ErrConflict }

func (conflictStore) UpdateUser(context.Context, string, func(*User) error) (*User, error) {
	return nil, ErrConflict
}

// A store conflict is reported in the words of the noun it is about.
func TestStoreConflictMessages(t *testing.T) {
	s := New(Deps{Store: conflictStore{}}, Config{})
	ctx, me := context.Background(), &User{ID: "me", Username: "me", Active: true}
	postID := NewID(time.Now())
	name := "bob"
	for _, c := range []struct {
		name, want string
		call       func() error
	}{
		{"Like", "You cannot like a post twice.", func() error { _, err := s.ToggleLike(ctx, me, postID); return err }},
		{"Follow", "You already follow this user.", func() error { _, _, err := s.Follow(ctx, me, "bob"); return err }},
		{"Comment", "This comment already exists.", func() error { _, err := s.AddComment(ctx, me, postID, "hi"); return err }},
		{"Post", "This post already exists.", func() error { return s.UpdatePost(ctx, &User{ID: "author"}, postID, "new") }},
		{"Story", "This story already exists.", func() error { return s.DeleteStory(ctx, me, postID) }},
		{"User", "This user already exists.", func() error { _, err := s.UpdateProfile(ctx, me, ProfileUpdate{Username: &name}); return err }},
	} {
		err := c.call()
		if ErrorCode(err) != ECONFLICT || ErrorMessage(err) != c.want {
			t.Errorf("%s: %v; want a conflict saying %q", c.name, err, c.want)
		}
	}
}
