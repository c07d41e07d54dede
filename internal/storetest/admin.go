package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var adminTests = []test{
	{"ModerateUser/SavesRevokesAudits", testModerateUser},
	{"ModerateUser/FnErrorAbortsAll", testModerateUserAborts},
	{"ModerateUser/ErrNotFound", testModerateUserNotFound},
	{"ListUsers/EveryoneNewestFirst", testListUsers},
	{"ListUsers/QueryLiteralUsernameOrEmail", testListUsersQuery},
	{"AuditEntries/NewestFirstPaged", testAuditPaging},
	{"Delete/AuditInSameTransaction", testDeleteAudited},
	{"SessionsByUser/UnexpiredMostRecentFirst", testSessionsByUser},
}

// entry is an audit entry made at.
func entry(action, targetID string, at time.Time) *gram.AuditEntry {
	return &gram.AuditEntry{ID: gram.NewID(at), ActorID: gram.ActorCLI, Action: action, TargetType: "user",
		TargetID: targetID, Detail: "detail", Reason: "a reason", CreatedAt: at}
}

// auditLog returns the whole log, newest first.
func auditLog(t *testing.T, s gram.Store) []*gram.AuditEntry {
	t.Helper()
	es, err := s.AuditEntries(t.Context(), gram.Page{Limit: 1000})
	noErr(t, "AuditEntries", err)
	return es
}

func testModerateUser(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	a1, a2 := NewSession(t, s, alice, At(0)), NewSession(t, s, alice, At(time.Second))
	b1 := NewSession(t, s, bob, At(0))
	e := entry(gram.AuditSuspend, alice.ID, At(time.Minute))
	got, err := s.ModerateUser(t.Context(), alice.ID, func(u *gram.User) error {
		u.SuspendedAt, u.SuspendedBy, u.SuspendReason, u.Active = At(time.Minute), bob.ID, "spam", false
		return nil
	}, e)
	noErr(t, "ModerateUser", err)
	reloaded, err := s.UserByID(t.Context(), alice.ID)
	noErr(t, "UserByID", err)
	if diff := cmp.Diff(got, reloaded); diff != "" {
		t.Errorf("saved user differs from the returned one (-returned +stored):\n%s", diff)
	}
	if !reloaded.Suspended() || !reloaded.SuspendedAt.Equal(At(time.Minute)) || reloaded.SuspendedBy != bob.ID ||
		reloaded.SuspendReason != "spam" || reloaded.Active {
		t.Errorf("suspension not stored: %+v", reloaded)
	}
	for _, ss := range []*gram.Session{a1, a2} {
		wantErr(t, "SessionByID(alice's)", errOf(s.SessionByID(t.Context(), ss.ID)), gram.ErrNotFound)
	}
	noErr(t, "SessionByID(bob's)", errOf(s.SessionByID(t.Context(), b1.ID)))
	if diff := cmp.Diff([]*gram.AuditEntry{e}, auditLog(t, s)); diff != "" {
		t.Errorf("audit log (-want +got):\n%s", diff)
	}
	// Clearing the suspension round-trips to the zero time.
	_, err = s.ModerateUser(t.Context(), alice.ID, func(u *gram.User) error {
		u.SuspendedAt, u.SuspendedBy, u.SuspendReason = time.Time{}, "", ""
		return nil
	}, entry(gram.AuditUnsuspend, alice.ID, At(2*time.Minute)))
	noErr(t, "ModerateUser(unsuspend)", err)
	if u, _ := s.UserByID(t.Context(), alice.ID); u.Suspended() || u.SuspendedBy != "" || u.SuspendReason != "" {
		t.Errorf("unsuspended user: %+v", u)
	}
}

func testModerateUserAborts(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	ss := NewSession(t, s, alice, At(0))
	refused := errors.New("refused")
	_, err := s.ModerateUser(t.Context(), alice.ID, func(u *gram.User) error {
		u.Role = gram.RoleAdmin
		return refused
	}, entry(gram.AuditRole, alice.ID, At(time.Minute)))
	if !errors.Is(err, refused) {
		t.Fatalf("ModerateUser: err = %v, want the fn's error as is", err)
	}
	if u, _ := s.UserByID(t.Context(), alice.ID); u.Role != gram.RoleUser {
		t.Errorf("role changed to %q despite the error", u.Role)
	}
	noErr(t, "SessionByID(kept)", errOf(s.SessionByID(t.Context(), ss.ID)))
	if es := auditLog(t, s); len(es) != 0 {
		t.Errorf("audit entries written by an aborted change: %v", es)
	}
}

func testModerateUserNotFound(t *testing.T, s gram.Store) {
	_, err := s.ModerateUser(t.Context(), missingID(), func(*gram.User) error { return nil }, entry(gram.AuditSuspend, "x", At(0)))
	wantErr(t, "ModerateUser", err, gram.ErrNotFound)
	if es := auditLog(t, s); len(es) != 0 {
		t.Errorf("audit entries written for a missing user: %v", es)
	}
}

// newUserAt creates a user created at the given time.
func newUserAt(t *testing.T, s gram.Store, username string, at time.Time) *gram.User {
	t.Helper()
	u := &gram.User{ID: gram.NewID(at), Username: username, Email: username + "@mail.test", Firstname: "F", Lastname: "L",
		PasswordHash: "h", Role: gram.RoleUser, Active: true, CreatedAt: at, UpdatedAt: at}
	noErr(t, "CreateUser", s.CreateUser(t.Context(), u, nil))
	return u
}

func testListUsers(t *testing.T, s gram.Store) {
	for i := range 5 {
		newUserAt(t, s, "user"+itoa(i), At(time.Duration(i)*time.Second))
	}
	// Same created_at as user04: the id breaks the tie.
	tie := newUserAt(t, s, "user99", At(4*time.Second))
	Deactivate(t, s, tie)
	all, err := s.ListUsers(t.Context(), "", gram.Page{Limit: 100})
	noErr(t, "ListUsers", err)
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID) {
			t.Errorf("not newest first at %d: %s then %s", i, a.Username, b.Username)
		}
	}
	if len(all) != 6 {
		t.Fatalf("ListUsers returned %d users, want 6 (deactivated included)", len(all))
	}
	// Paging by cursor walks the same order without gaps or repeats.
	var paged []string
	page := gram.Page{Limit: 4}
	for {
		got, err := s.ListUsers(t.Context(), "", page)
		noErr(t, "ListUsers(page)", err)
		paged = append(paged, usernames(got)...)
		if len(got) < page.Limit {
			break
		}
		last := got[len(got)-1]
		page.CursorAt, page.CursorID = last.CreatedAt, last.ID
	}
	if diff := cmp.Diff(usernames(all), paged); diff != "" {
		t.Errorf("pages (-all +paged):\n%s", diff)
	}
}

func testListUsersQuery(t *testing.T, s gram.Store) {
	searchWorld(t, s)
	carl := newUserAt(t, s, "carl", At(time.Hour)) // email carl@mail.test
	Deactivate(t, s, carl)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"a_n", []string{"a_n"}},
		{"%", []string{"a%n"}},
		{`\`, []string{`a\n`}},
		{"mail.test", []string{"carl"}}, // by email, inactive included
		{"CARL", []string{"carl"}},
		{"nomatch", nil},
	} {
		got, err := s.ListUsers(t.Context(), c.query, gram.Page{Limit: 100})
		noErr(t, "ListUsers", err)
		if diff := cmp.Diff(c.want, usernames(got), cmpNilEmpty); diff != "" {
			t.Errorf("ListUsers(%q) (-want +got):\n%s", c.query, diff)
		}
	}
}

func testAuditPaging(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	for i := range 5 {
		e := entry(gram.AuditRole, alice.ID, At(time.Duration(i/2)*time.Second)) // ties on time
		_, err := s.ModerateUser(t.Context(), alice.ID, func(*gram.User) error { return nil }, e)
		noErr(t, "ModerateUser", err)
	}
	all := auditLog(t, s)
	if len(all) != 5 {
		t.Fatalf("%d entries, want 5", len(all))
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID) {
			t.Errorf("not newest first at %d", i)
		}
	}
	first, err := s.AuditEntries(t.Context(), gram.Page{Limit: 2})
	noErr(t, "AuditEntries", err)
	last := first[len(first)-1]
	rest, err := s.AuditEntries(t.Context(), gram.Page{Limit: 10, CursorAt: last.CreatedAt, CursorID: last.ID})
	noErr(t, "AuditEntries(next)", err)
	if diff := cmp.Diff(all, append(first, rest...)); diff != "" {
		t.Errorf("pages (-all +paged):\n%s", diff)
	}
}

func testDeleteAudited(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, At(0))
	c := NewComment(t, s, p, bob, At(time.Second))
	st := NewStory(t, s, alice, At(0))
	eComment := entry(gram.AuditDeleteComment, c.ID, At(time.Minute))
	ePost := entry(gram.AuditDeletePost, p.ID, At(2*time.Minute))
	eStory := entry(gram.AuditDeleteStory, st.ID, At(3*time.Minute))
	noErr(t, "DeleteComment", s.DeleteComment(t.Context(), c.ID, eComment))
	noErr(t, "DeletePost", s.DeletePost(t.Context(), p.ID, ePost))
	noErr(t, "DeleteStory", s.DeleteStory(t.Context(), st.ID, eStory))
	// A delete that finds nothing writes no entry.
	wantErr(t, "DeletePost(missing)", s.DeletePost(t.Context(), p.ID, entry(gram.AuditDeletePost, p.ID, At(time.Hour))), gram.ErrNotFound)
	wantErr(t, "DeleteComment(missing)", s.DeleteComment(t.Context(), c.ID, entry(gram.AuditDeleteComment, c.ID, At(time.Hour))), gram.ErrNotFound)
	wantErr(t, "DeleteStory(missing)", s.DeleteStory(t.Context(), st.ID, entry(gram.AuditDeleteStory, st.ID, At(time.Hour))), gram.ErrNotFound)
	if diff := cmp.Diff([]*gram.AuditEntry{eStory, ePost, eComment}, auditLog(t, s)); diff != "" {
		t.Errorf("audit log (-want +got):\n%s", diff)
	}
}

func testSessionsByUser(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	old := NewSession(t, s, alice, At(0))
	recent := NewSession(t, s, alice, At(time.Second))
	touched := NewSession(t, s, alice, At(0))
	noErr(t, "TouchSession", s.TouchSession(t.Context(), touched.ID, At(time.Hour)))
	touched.LastUsed = At(time.Hour)
	expired := &gram.Session{ID: gram.NewID(At(0)), UserID: alice.ID, CreatedAt: At(0), LastUsed: At(2 * time.Hour), ExpiresAt: At(time.Minute)}
	noErr(t, "CreateSession", s.CreateSession(t.Context(), expired))
	NewSession(t, s, bob, At(0))

	now := At(3 * time.Hour)
	got, err := s.SessionsByUser(t.Context(), alice.ID, now, 10)
	noErr(t, "SessionsByUser", err)
	if diff := cmp.Diff([]*gram.Session{touched, recent, old}, got); diff != "" {
		t.Errorf("SessionsByUser (-want +got):\n%s", diff)
	}
	got, err = s.SessionsByUser(t.Context(), alice.ID, now, 2)
	noErr(t, "SessionsByUser(limit)", err)
	if len(got) != 2 || got[0].ID != touched.ID {
		t.Errorf("SessionsByUser(limit 2) = %d sessions", len(got))
	}
	got, err = s.SessionsByUser(t.Context(), missingID(), now, 10)
	noErr(t, "SessionsByUser(unknown)", err)
	if len(got) != 0 {
		t.Errorf("sessions of an unknown user: %v", got)
	}
}
