package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var sessionTests = []test{
	{"CreateSession/RoundTrip", testSessionRoundTrip},
	{"SessionByID/ErrNotFound", testSessionNotFound},
	{"TouchSession/OK", testTouchSession},
	{"RevokeSession/OK", testRevokeSession},
	{"RevokeUserSessions/ExceptOne", testRevokeUserSessions},
}

func testSessionRoundTrip(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	want := NewSession(t, s, u, At(1500*time.Millisecond))
	got, err := s.SessionByID(t.Context(), want.ID)
	noErr(t, "SessionByID", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SessionByID (-want +got):\n%s", diff)
	}
}

func testSessionNotFound(t *testing.T, s gram.Store) {
	wantErr(t, "SessionByID", errOf(s.SessionByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testTouchSession(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	ss := NewSession(t, s, u, At(0))
	at := At(time.Hour + 7*time.Millisecond)
	noErr(t, "TouchSession", s.TouchSession(t.Context(), ss.ID, at))
	got, err := s.SessionByID(t.Context(), ss.ID)
	noErr(t, "SessionByID", err)
	if !got.LastUsed.Equal(at) || !got.CreatedAt.Equal(ss.CreatedAt) {
		t.Errorf("after touch: LastUsed %v, CreatedAt %v; want %v, %v", got.LastUsed, got.CreatedAt, at, ss.CreatedAt)
	}
	noErr(t, "TouchSession(unknown)", s.TouchSession(t.Context(), missingID(), at))
}

func testRevokeSession(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "alice")
	a, b := NewSession(t, s, u, At(0)), NewSession(t, s, u, At(0))
	noErr(t, "RevokeSession", s.RevokeSession(t.Context(), a.ID))
	wantErr(t, "SessionByID(revoked)", errOf(s.SessionByID(t.Context(), a.ID)), gram.ErrNotFound)
	noErr(t, "SessionByID(other)", errOf(s.SessionByID(t.Context(), b.ID)))
	noErr(t, "RevokeSession(again)", s.RevokeSession(t.Context(), a.ID))
	noErr(t, "RevokeSession(unknown)", s.RevokeSession(t.Context(), missingID()))
}

func testRevokeUserSessions(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	keep := NewSession(t, s, alice, At(0))
	gone := []*gram.Session{NewSession(t, s, alice, At(0)), NewSession(t, s, alice, At(time.Second))}
	other := NewSession(t, s, bob, At(0))
	noErr(t, "RevokeUserSessions", s.RevokeUserSessions(t.Context(), alice.ID, keep.ID))
	for _, ss := range gone {
		wantErr(t, "SessionByID(revoked)", errOf(s.SessionByID(t.Context(), ss.ID)), gram.ErrNotFound)
	}
	noErr(t, "SessionByID(kept)", errOf(s.SessionByID(t.Context(), keep.ID)))
	noErr(t, "SessionByID(bob's)", errOf(s.SessionByID(t.Context(), other.ID)))
	// With no exception (logout everywhere), all of them go.
	noErr(t, "RevokeUserSessions(all)", s.RevokeUserSessions(t.Context(), alice.ID, ""))
	wantErr(t, "SessionByID(kept)", errOf(s.SessionByID(t.Context(), keep.ID)), gram.ErrNotFound)
}
