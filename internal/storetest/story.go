package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var storyTests = []test{
	{"CreateStory/RoundTrip", testCreateStory},
	{"StoryByID/ErrNotFound", testStoryNotFound},
	{"DeleteStory/OK", testDeleteStory},
	{"ActiveStories/UnexpiredNewestFirst", testActiveStories},
	{"ExpiredStories/ExpiredOnly", testExpiredStories},
}

func testCreateStory(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	want := NewStory(t, s, u, At(4321*time.Millisecond))
	got, err := s.StoryByID(t.Context(), want.ID)
	noErr(t, "StoryByID", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StoryByID (-want +got):\n%s", diff)
	}
}

func testStoryNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "StoryByID", errOf(s.StoryByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testDeleteStory(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	st := NewStory(t, s, u, T0)
	noErr(t, "DeleteStory", s.DeleteStory(t.Context(), st.ID, nil))
	wantErr(t, "StoryByID", errOf(s.StoryByID(t.Context(), st.ID)), gram.ErrNotFound)
	wantErr(t, "DeleteStory(again)", s.DeleteStory(t.Context(), st.ID, nil), gram.ErrNotFound)
}

// storyWorld: alice's stories made 30h, 20h, 10h and 1h before now, bob's
// (inactive) 2h before now.
func storyWorld(t *testing.T, s gram.Store, now time.Time) (old, fresh []*gram.Story) {
	t.Helper()
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	old = []*gram.Story{NewStory(t, s, alice, now.Add(-30*time.Hour)), NewStory(t, s, alice, now.Add(-25*time.Hour))}
	fresh = []*gram.Story{NewStory(t, s, alice, now.Add(-time.Hour)), NewStory(t, s, alice, now.Add(-10*time.Hour)), NewStory(t, s, alice, now.Add(-20*time.Hour))}
	NewStory(t, s, bob, now.Add(-2*time.Hour))
	Deactivate(t, s, bob)
	return old, fresh
}

func storyIDs(ss []*gram.Story) []string {
	out := make([]string, len(ss))
	for i, st := range ss {
		out[i] = st.ID
	}
	return out
}

func testActiveStories(t *testing.T, s gram.Store) {
	now := At(48 * time.Hour)
	_, fresh := storyWorld(t, s, now)
	got, err := s.ActiveStories(t.Context(), "", now, 10)
	noErr(t, "ActiveStories", err)
	if diff := cmp.Diff(storyIDs(fresh), storyIDs(got)); diff != "" {
		t.Errorf("ActiveStories (-want +got):\n%s", diff)
	}
	got, err = s.ActiveStories(t.Context(), "", now, 2)
	noErr(t, "ActiveStories", err)
	if diff := cmp.Diff(storyIDs(fresh[:2]), storyIDs(got)); diff != "" {
		t.Errorf("ActiveStories(limit 2) (-want +got):\n%s", diff)
	}
	// Later, the oldest fresh story has expired too.
	got, err = s.ActiveStories(t.Context(), "", now.Add(5*time.Hour), 10)
	noErr(t, "ActiveStories", err)
	if diff := cmp.Diff(storyIDs(fresh[:2]), storyIDs(got)); diff != "" {
		t.Errorf("ActiveStories(now+5h) (-want +got):\n%s", diff)
	}
}

func testExpiredStories(t *testing.T, s gram.Store) {
	now := At(48 * time.Hour)
	old, fresh := storyWorld(t, s, now)
	got, err := s.ExpiredStories(t.Context(), now, 10)
	noErr(t, "ExpiredStories", err)
	if diff := cmp.Diff(sortStrings(storyIDs(old)), sortStrings(storyIDs(got))); diff != "" {
		t.Errorf("ExpiredStories (-want +got):\n%s", diff)
	}
	got, err = s.ExpiredStories(t.Context(), now, 1)
	noErr(t, "ExpiredStories", err)
	if len(got) != 1 {
		t.Errorf("ExpiredStories(limit 1) = %d", len(got))
	}
	// At the exact expiry instant a story is either active or expired,
	// never both and never neither.
	edge := fresh[2].ExpiresAt
	active, err := s.ActiveStories(t.Context(), "", edge, 10)
	noErr(t, "ActiveStories", err)
	expired, err := s.ExpiredStories(t.Context(), edge, 10)
	noErr(t, "ExpiredStories", err)
	n := 0
	for _, st := range append(active, expired...) {
		if st.ID == fresh[2].ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("story at its expiry instant is listed %d times; want 1", n)
	}
}
