package gram

import (
	"context"
	"errors"
	"io"
	"slices"
	"time"
)

// StoryTTL is how long a story stays visible.
const StoryTTL = 24 * time.Hour

// Story is a photo visible for StoryTTL.
type Story struct {
	ID        string
	UserID    string
	PhotoKey  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CanDelete reports whether u may delete s.
func (s *Story) CanDelete(u *User) bool {
	return u != nil && (s.UserID == u.ID || u.IsStaff())
}

// msgStoryExists answers a story the store already has.
const msgStoryExists = "This story already exists."

// CreateStory processes and stores a story photo, visible for StoryTTL.
func (s *Service) CreateStory(ctx context.Context, u *User, photo io.Reader) (*Story, error) {
	now := s.now()
	st := &Story{ID: NewID(now), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(StoryTTL)}
	key, err := s.storeImage(ctx, photo, ImageStory, func(ext string) string { return storyKey(u.ID, st.ID, ext) })
	if err != nil {
		return nil, err
	}
	st.PhotoKey = key
	if err := s.store.CreateStory(ctx, st); err != nil {
		s.discardUpload(ctx, key)
		return nil, storeErr(err, "User not found.", msgStoryExists)
	}
	return st, nil
}

// StoryGroup is one user's unexpired stories, oldest first.
type StoryGroup struct {
	UserID  string
	Stories []*Story
}

// MaxStories caps how many stories the story bar loads.
const MaxStories = 1000

// ActiveStories groups the unexpired stories viewer (nil: nobody logged
// in) may have in a feed (Relation.InFeed, applied by the store's query)
// by user: the viewer's own group first (when logged in), then by each
// user's newest story.
func (s *Service) ActiveStories(ctx context.Context, viewer *User) ([]StoryGroup, error) {
	stories, err := s.store.ActiveStories(ctx, viewerID(viewer), s.now(), MaxStories)
	if err != nil {
		return nil, err
	}
	var groups []StoryGroup
	index := map[string]int{}
	for _, st := range stories { // newest first
		i, seen := index[st.UserID]
		if !seen {
			i = len(groups)
			index[st.UserID] = i
			groups = append(groups, StoryGroup{UserID: st.UserID})
		}
		groups[i].Stories = append(groups[i].Stories, st)
	}
	for i := range groups {
		slices.Reverse(groups[i].Stories)
	}
	if viewer != nil {
		if i, ok := index[viewer.ID]; ok && i > 0 {
			own := groups[i]
			groups = append(groups[:i], groups[i+1:]...)
			groups = append([]StoryGroup{own}, groups...)
		}
	}
	return groups, nil
}

// DeleteStory deletes a story and its photo; its owner and staff may.
func (s *Service) DeleteStory(ctx context.Context, u *User, id string) error {
	return s.deleteStory(ctx, u, id, "")
}

// deleteStory is the one delete path of stories; staff deleting someone
// else's story are audited (see contentAudit).
func (s *Service) deleteStory(ctx context.Context, u *User, id, reason string) error {
	const notFound = "Not found story to delete."
	if !ValidID(id) {
		return Errorf(ENOTFOUND, notFound)
	}
	st, err := s.store.StoryByID(ctx, id)
	if err != nil {
		return storeErr(err, notFound, msgStoryExists)
	}
	if !st.CanDelete(u) {
		return Errorf(EFORBIDDEN, "You cannot delete someone else's story.")
	}
	e := s.contentAudit(u, st.UserID, AuditDeleteStory, "story", id, reason)
	if err := s.store.DeleteStory(ctx, id, e); err != nil {
		return storeErr(err, notFound, msgStoryExists)
	}
	s.removeQueued(ctx, st.PhotoKey)
	return nil
}

// SweepStories deletes up to limit expired stories, and reports how many
// it deleted. Their photos are queued with them and left to the deleter
// (blob.Deleter): nobody waits on a sweep, and an outage of the blob store
// must not hold it up.
func (s *Service) SweepStories(ctx context.Context, limit int) (int, error) {
	expired, err := s.store.ExpiredStories(ctx, s.now(), limit)
	if err != nil {
		return 0, err
	}
	for _, st := range expired {
		if err := s.store.DeleteStory(ctx, st.ID, nil); err != nil && !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	return len(expired), nil
}
