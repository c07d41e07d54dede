package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var userTests = []test{
	{"CreateUser/RoundTrip", testCreateUserRoundTrip},
	{"CreateUser/TimesUTCMilliseconds", testCreateUserTimes},
	{"CreateUser/ErrConflictUsername", testCreateUserConflictUsername},
	{"CreateUser/ErrConflictEmail", testCreateUserConflictEmail},
	{"CreateUser/WelcomeMail", testCreateUserWelcome},
	{"UserByID/ErrNotFound", testUserByIDNotFound},
	{"UpdateUser/OK", testUpdateUser},
	{"UpdateUser/ErrNotFound", testUpdateUserNotFound},
	{"UpdateUser/FnErrorAborts", testUpdateUserFnError},
	{"UpdateUser/ErrConflictUsername", testUpdateUserConflictUsername},
	{"UpdateUser/ErrConflictEmail", testUpdateUserConflictEmail},
	{"UpdateUser/ConcurrentNoLostUpdate", testUpdateUserConcurrent},
	{"UsersByIDs/OK", testUsersByIDs},
}

func testCreateUserRoundTrip(t *testing.T, s gram.Store) {
	want := &gram.User{
		ID: gram.NewID(T0), Username: "alice", Email: "alice@example.com", Firstname: "Alice",
		Lastname: "Liddell", Bio: "down the rabbit hole ✨", PasswordHash: "$argon2id$v=19$xyz",
		PhotoKey: "users/a/avatar.jpg", Role: gram.RoleModerator, Active: true,
		CreatedAt: At(1234 * time.Millisecond), UpdatedAt: At(time.Hour + 5*time.Millisecond),
	}
	noErr(t, "CreateUser", s.CreateUser(t.Context(), want, nil))
	for name, get := range map[string]func() (*gram.User, error){
		"UserByID":       func() (*gram.User, error) { return s.UserByID(t.Context(), want.ID) },
		"UserByUsername": func() (*gram.User, error) { return s.UserByUsername(t.Context(), "alice") },
		"UserByEmail":    func() (*gram.User, error) { return s.UserByEmail(t.Context(), "alice@example.com") },
	} {
		got, err := get()
		noErr(t, name, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
	// An inactive user round-trips its flag too.
	bob := &gram.User{ID: gram.NewID(T0), Username: "bob", Email: "bob@example.com", Role: gram.RoleUser,
		CreatedAt: T0, UpdatedAt: T0}
	noErr(t, "CreateUser(bob)", s.CreateUser(t.Context(), bob, nil))
	got, err := s.UserByID(t.Context(), bob.ID)
	noErr(t, "UserByID(bob)", err)
	if diff := cmp.Diff(bob, got); diff != "" {
		t.Errorf("inactive user mismatch (-want +got):\n%s", diff)
	}
}

// testCreateUserTimes pins the time contract: millisecond precision is
// kept exactly and times come back in UTC whatever zone they went in with.
func testCreateUserTimes(t *testing.T, s gram.Store) {
	zone := time.FixedZone("IST", 5*3600+1800)
	created := time.Date(2031, 12, 31, 23, 59, 59, 999_000_000, zone)
	u := &gram.User{ID: gram.NewID(created), Username: "tz", Email: "tz@example.com", Role: gram.RoleUser,
		Active: true, CreatedAt: created, UpdatedAt: created.Add(time.Millisecond)}
	noErr(t, "CreateUser", s.CreateUser(t.Context(), u, nil))
	got, err := s.UserByID(t.Context(), u.ID)
	noErr(t, "UserByID", err)
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{{"CreatedAt", got.CreatedAt, created}, {"UpdatedAt", got.UpdatedAt, created.Add(time.Millisecond)}} {
		if !c.got.Equal(c.want) || c.got.Location() != time.UTC {
			t.Errorf("%s = %v; want %v in UTC", c.name, c.got, c.want.UTC())
		}
	}
}

func testCreateUserConflictUsername(t *testing.T, s gram.Store) {
	a := NewUser(t, s, "alice")
	dup := *a
	dup.ID, dup.Email = gram.NewID(T0), "other@example.com"
	welcome := &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(T0), To: dup.Email, Subject: "hi"}, CreatedAt: T0, NextAttemptAt: T0}
	wantErr(t, "CreateUser(same username)", s.CreateUser(t.Context(), &dup, welcome), gram.ErrConflict)
	// The welcome mail is in the same transaction: it must not be queued.
	got, err := s.ClaimMail(t.Context(), At(time.Hour), time.Minute, 10)
	noErr(t, "ClaimMail", err)
	if len(got) != 0 {
		t.Errorf("ClaimMail after a failed signup = %d messages; want 0", len(got))
	}
	wantErr(t, "UserByID(dup)", errOf(s.UserByID(t.Context(), dup.ID)), gram.ErrNotFound)
}

func testCreateUserConflictEmail(t *testing.T, s gram.Store) {
	a := NewUser(t, s, "alice")
	dup := *a
	dup.ID, dup.Username = gram.NewID(T0), "alice2"
	wantErr(t, "CreateUser(same email)", s.CreateUser(t.Context(), &dup, nil), gram.ErrConflict)
	dup.ID = a.ID
	dup.Email = "alice2@example.com"
	wantErr(t, "CreateUser(same id)", s.CreateUser(t.Context(), &dup, nil), gram.ErrConflict)
}

func testCreateUserWelcome(t *testing.T, s gram.Store) {
	u := &gram.User{ID: gram.NewID(T0), Username: "w", Email: "w@example.com", Role: gram.RoleUser, Active: true, CreatedAt: T0, UpdatedAt: T0}
	m := &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(T0), To: u.Email, Subject: "Welcome", HTML: "<p>hi</p>", Text: "hi"},
		CreatedAt: T0, NextAttemptAt: T0}
	noErr(t, "CreateUser", s.CreateUser(t.Context(), u, m))
	got, err := s.ClaimMail(t.Context(), T0, time.Minute, 10)
	noErr(t, "ClaimMail", err)
	if len(got) != 1 || got[0].ID != m.ID || got[0].To != u.Email {
		t.Errorf("ClaimMail = %+v; want the welcome mail", got)
	}
}

func testUserByIDNotFound(t *testing.T, s gram.Store) {
	NewUser(t, s, "alice")
	wantErr(t, "UserByID", errOf(s.UserByID(t.Context(), missingID())), gram.ErrNotFound)
	wantErr(t, "UserByUsername", errOf(s.UserByUsername(t.Context(), "nobody")), gram.ErrNotFound)
	wantErr(t, "UserByEmail", errOf(s.UserByEmail(t.Context(), "nobody@example.com")), gram.ErrNotFound)
}

func testUpdateUser(t *testing.T, s gram.Store) {
	a := NewUser(t, s, "alice")
	want := &gram.User{ID: a.ID, Username: "alicia", Email: "alicia@example.org", Firstname: "Alicia",
		Lastname: "L.", Bio: "new bio", PasswordHash: "new-hash", PhotoKey: "", Role: gram.RoleAdmin,
		Active: false, CreatedAt: a.CreatedAt, UpdatedAt: At(time.Hour)}
	got, err := s.UpdateUser(t.Context(), a.ID, func(u *gram.User) error {
		if diff := cmp.Diff(a, u); diff != "" {
			t.Errorf("fn got (-want +got):\n%s", diff)
		}
		*u = *want
		return nil
	})
	noErr(t, "UpdateUser", err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UpdateUser returned (-want +got):\n%s", diff)
	}
	stored, err := s.UserByUsername(t.Context(), "alicia")
	noErr(t, "UserByUsername", err)
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
	wantErr(t, "old username", errOf(s.UserByUsername(t.Context(), "alice")), gram.ErrNotFound)
}

func testUpdateUserNotFound(t *testing.T, s gram.Store) {
	_, err := s.UpdateUser(t.Context(), missingID(), func(*gram.User) error { return nil })
	wantErr(t, "UpdateUser", err, gram.ErrNotFound)
}

func testUpdateUserFnError(t *testing.T, s gram.Store) {
	a := NewUser(t, s, "alice")
	boom := errors.New("boom")
	_, err := s.UpdateUser(t.Context(), a.ID, func(u *gram.User) error {
		u.Bio = "changed"
		return boom
	})
	if err != boom {
		t.Errorf("UpdateUser err = %v; want the fn's error as is", err)
	}
	got, err := s.UserByID(t.Context(), a.ID)
	noErr(t, "UserByID", err)
	if got.Bio != a.Bio {
		t.Errorf("Bio = %q after an aborted update; want %q", got.Bio, a.Bio)
	}
}

func testUpdateUserConflictUsername(t *testing.T, s gram.Store) {
	a, b := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	_, err := s.UpdateUser(t.Context(), b.ID, func(u *gram.User) error { u.Username = a.Username; u.Bio = "x"; return nil })
	wantErr(t, "UpdateUser(taken username)", err, gram.ErrConflict)
	got, err := s.UserByID(t.Context(), b.ID)
	noErr(t, "UserByID", err)
	if got.Username != "bob" || got.Bio != b.Bio {
		t.Errorf("user after a conflicting update = %q, %q; want unchanged", got.Username, got.Bio)
	}
}

func testUpdateUserConflictEmail(t *testing.T, s gram.Store) {
	a, b := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	_, err := s.UpdateUser(t.Context(), b.ID, func(u *gram.User) error { u.Email = a.Email; return nil })
	wantErr(t, "UpdateUser(taken email)", err, gram.ErrConflict)
}

// testUpdateUserConcurrent checks that UpdateUser is an atomic
// read-modify-write: concurrent increments are never lost.
func testUpdateUserConcurrent(t *testing.T, s gram.Store) {
	a := NewUser(t, s, "alice")
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := s.UpdateUser(t.Context(), a.ID, func(u *gram.User) error {
				k, _ := strconv.Atoi(u.Bio)
				u.Bio = strconv.Itoa(k + 1)
				return nil
			})
			if err != nil {
				t.Errorf("UpdateUser: %v", err)
			}
		})
	}
	wg.Wait()
	got, err := s.UserByID(t.Context(), a.ID)
	noErr(t, "UserByID", err)
	if got.Bio != strconv.Itoa(n) {
		t.Errorf("Bio = %q after %d concurrent increments; want %d", got.Bio, n, n)
	}
}

func testUsersByIDs(t *testing.T, s gram.Store) {
	a, b := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	NewUser(t, s, "carol")
	Deactivate(t, s, b)
	got, err := s.UsersByIDs(t.Context(), []string{b.ID, missingID(), a.ID})
	noErr(t, "UsersByIDs", err)
	if ids := sortedIDs(got); !cmp.Equal(ids, sortStrings([]string{a.ID, b.ID})) {
		t.Errorf("UsersByIDs = %v; want alice and bob", ids)
	}
	got, err = s.UsersByIDs(t.Context(), nil)
	noErr(t, "UsersByIDs(nil)", err)
	if len(got) != 0 {
		t.Errorf("UsersByIDs(nil) = %d users; want 0", len(got))
	}
}
