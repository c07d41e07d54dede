package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// T0 is the suite's clock: every fixture time is T0 plus an offset, in
// UTC and truncated to milliseconds, the precision every backend keeps.
var T0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// At returns T0 plus d, truncated to milliseconds.
func At(d time.Duration) time.Time { return T0.Add(d).Truncate(time.Millisecond) }

// NewUser creates an active user with every field set.
func NewUser(t *testing.T, s gram.Store, username string) *gram.User {
	t.Helper()
	u := &gram.User{
		ID:           gram.NewID(T0),
		Username:     username,
		Email:        username + "@example.com",
		Firstname:    "First " + username,
		Lastname:     "Last " + username,
		Bio:          "bio of " + username,
		PasswordHash: "hash-" + username,
		PhotoKey:     "users/" + username + "/avatar.jpg",
		Role:         gram.RoleUser,
		Active:       true,
		CreatedAt:    At(time.Millisecond),
		UpdatedAt:    At(2 * time.Millisecond),
	}
	if err := s.CreateUser(t.Context(), u, nil); err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

// NewPost creates a post by author at the given time.
func NewPost(t *testing.T, s gram.Store, author *gram.User, at time.Time) *gram.Post {
	t.Helper()
	p := &gram.Post{
		ID:        gram.NewID(at),
		AuthorID:  author.ID,
		Caption:   "caption by " + author.Username,
		PhotoKey:  "posts/" + author.ID + "/photo.jpg",
		CreatedAt: at,
	}
	if err := s.CreatePost(t.Context(), p); err != nil {
		t.Fatalf("CreatePost: %v", err)
	}
	return p
}

// NewComment creates a comment (with its notification to the post's author).
func NewComment(t *testing.T, s gram.Store, p *gram.Post, author *gram.User, at time.Time) *gram.Comment {
	t.Helper()
	c := &gram.Comment{ID: gram.NewID(at), PostID: p.ID, AuthorID: author.ID, Text: "nice one", CreatedAt: at}
	n := &gram.Notification{ID: gram.NewID(at), RecipientID: p.AuthorID, ActorID: author.ID,
		Kind: gram.NotifyComment, PostID: p.ID, CreatedAt: at}
	if err := s.CreateComment(t.Context(), c, n); err != nil {
		t.Fatalf("CreateComment: %v", err)
	}
	return c
}

// Like toggles u's like of p (with a notification) and fails unless the
// post ends up in the wanted state.
func Like(t *testing.T, s gram.Store, p *gram.Post, u *gram.User, at time.Time, want bool) {
	t.Helper()
	liked, err := s.ToggleLike(t.Context(), p.ID, u.ID, at, likeNote(p, u, at))
	if err != nil || liked != want {
		t.Fatalf("ToggleLike(%s by %s) = %v, %v; want %v, nil", p.ID, u.Username, liked, err, want)
	}
}

func likeNote(p *gram.Post, u *gram.User, at time.Time) *gram.Notification {
	return &gram.Notification{ID: gram.NewID(at), RecipientID: p.AuthorID, ActorID: u.ID,
		Kind: gram.NotifyLike, PostID: p.ID, CreatedAt: at}
}

// Follow makes a follow b (with a notification).
func Follow(t *testing.T, s gram.Store, a, b *gram.User, at time.Time) {
	t.Helper()
	if _, err := s.Follow(t.Context(), a.ID, b.ID, at, followNote(a, b, at)); err != nil {
		t.Fatalf("Follow(%s, %s): %v", a.Username, b.Username, err)
	}
}

func followNote(a, b *gram.User, at time.Time) *gram.Notification {
	return &gram.Notification{ID: gram.NewID(at), RecipientID: b.ID, ActorID: a.ID, Kind: gram.NotifyFollow, CreatedAt: at}
}

// NewStory creates a story of u made at, expiring gram.StoryTTL later.
func NewStory(t *testing.T, s gram.Store, u *gram.User, at time.Time) *gram.Story {
	t.Helper()
	st := &gram.Story{ID: gram.NewID(at), UserID: u.ID, PhotoKey: "stories/" + u.ID + ".jpg",
		CreatedAt: at, ExpiresAt: at.Add(gram.StoryTTL)}
	if err := s.CreateStory(t.Context(), st); err != nil {
		t.Fatalf("CreateStory: %v", err)
	}
	return st
}

// NewSession creates a session of u.
func NewSession(t *testing.T, s gram.Store, u *gram.User, at time.Time) *gram.Session {
	t.Helper()
	ss := &gram.Session{ID: gram.NewID(at), UserID: u.ID, UserAgent: "test-agent", IP: "192.0.2.1",
		CreatedAt: at, LastUsed: at, ExpiresAt: at.Add(90 * 24 * time.Hour)}
	if err := s.CreateSession(t.Context(), ss); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return ss
}

// Deactivate sets u inactive.
func Deactivate(t *testing.T, s gram.Store, u *gram.User) {
	t.Helper()
	if _, err := s.UpdateUser(t.Context(), u.ID, func(u *gram.User) error { u.Active = false; return nil }); err != nil {
		t.Fatalf("UpdateUser(deactivate %s): %v", u.Username, err)
	}
}

// getPost reloads a post.
func getPost(t *testing.T, s gram.Store, id string) *gram.Post {
	t.Helper()
	p, err := s.PostByID(t.Context(), id)
	if err != nil {
		t.Fatalf("PostByID(%s): %v", id, err)
	}
	return p
}

// wantCounts checks a post's stored counters.
func wantCounts(t *testing.T, s gram.Store, id string, likes, comments int) {
	t.Helper()
	p := getPost(t, s, id)
	if p.LikeCount != likes || p.CommentCount != comments {
		t.Errorf("post %s counts = %d likes, %d comments; want %d, %d", id, p.LikeCount, p.CommentCount, likes, comments)
	}
}

// wantErr checks that err is (or wraps) target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: err = %v; want %v", what, err, target)
	}
}

// noErr fails the test on err.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// missingID is an id no fixture ever uses.
func missingID() string { return gram.NewID(T0.Add(-time.Hour)) }

// wantDisjointClaims has two claimers call claim, which returns the ids
// of one claimed batch, until it finds nothing, and checks that each of
// the n queued items was claimed by exactly one of them.
func wantDisjointClaims(t *testing.T, n int, claim func() ([]string, error)) {
	t.Helper()
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for range 2 {
		wg.Go(func() {
			for {
				ids, err := claim()
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(ids) == 0 {
					return
				}
				mu.Lock()
				for _, id := range ids {
					seen[id]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d distinct items; want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s claimed %d times", id, k)
		}
	}
}
