package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var blockTests = []test{
	{"Block/EndsFollowsAndRequestsBothWays", testBlockEndsFollows},
	{"Block/RepeatNotNew", testBlockRepeat},
	{"Block/ErrNotFound", testBlockNotFound},
	{"Block/Cap", testBlockCap},
	{"Unblock/OK", testUnblock},
	{"Mute/OKRepeatCapUnmute", testMute},
	{"BlockedUsers/NewestFirstPages", testBlockedUsersPages},
	{"Ties/EachTie", testTies},
	{"Shield/BlockedEitherWayAndMuted", testShield},
	{"Feed/Viewer", testFeedViewer},
	{"ActiveStories/Viewer", testStoriesViewer},
	{"User/PrivateSaved", testPrivateSaved},
}

// testBlockEndsFollows: a block ends the follows and the follow requests
// between the two accounts, both ways, and no one else's.
func testBlockEndsFollows(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, bob, At(time.Second))
	Follow(t, s, bob, alice, At(time.Second))
	Follow(t, s, carol, alice, At(time.Second))
	if _, err := s.RequestFollow(t.Context(), alice.ID, carol.ID, At(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RequestFollow(t.Context(), carol.ID, bob.ID, At(time.Second)); err != nil {
		t.Fatal(err)
	}
	created, err := s.Block(t.Context(), alice.ID, bob.ID, At(2*time.Second), 10)
	if err != nil || !created {
		t.Fatalf("Block = %v, %v; want true, nil", created, err)
	}
	wantIDs(t, s.FollowerIDs, alice.ID, []string{carol.ID})
	wantIDs(t, s.FollowingIDs, alice.ID, nil)
	wantIDs(t, s.FollowerIDs, bob.ID, nil)
	// carol blocks alice: the request alice made to carol goes too, and
	// carol's own follow of alice.
	if _, err := s.Block(t.Context(), carol.ID, alice.ID, At(3*time.Second), 10); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, s.FollowerIDs, alice.ID, nil)
	reqs, err := s.FollowRequestsTo(t.Context(), carol.ID, gram.Page{Limit: 10})
	noErr(t, "FollowRequestsTo", err)
	if len(reqs) != 0 {
		t.Errorf("requests to carol after carol blocked alice = %v; want none", reqs)
	}
	reqs, err = s.FollowRequestsTo(t.Context(), bob.ID, gram.Page{Limit: 10})
	noErr(t, "FollowRequestsTo", err)
	if len(reqs) != 1 || reqs[0].UserID != carol.ID {
		t.Errorf("requests to bob = %v; want carol's, which no block touched", reqs)
	}
}

func testBlockRepeat(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	if _, err := s.Block(t.Context(), alice.ID, bob.ID, At(time.Second), 10); err != nil {
		t.Fatal(err)
	}
	created, err := s.Block(t.Context(), alice.ID, bob.ID, At(2*time.Second), 10)
	if err != nil || created {
		t.Fatalf("Block(repeat) = %v, %v; want false, nil", created, err)
	}
	edges, err := s.BlockedUsers(t.Context(), alice.ID, gram.Page{Limit: 10})
	noErr(t, "BlockedUsers", err)
	if diff := cmp.Diff([]gram.Edge{{UserID: bob.ID, CreatedAt: At(time.Second)}}, edges); diff != "" {
		t.Errorf("BlockedUsers after a repeat (-want +got):\n%s", diff)
	}
}

func testBlockNotFound(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	_, err := s.Block(t.Context(), alice.ID, missingID(), T0, 10)
	wantErr(t, "Block(missing)", err, gram.ErrNotFound)
	_, err = s.Mute(t.Context(), missingID(), alice.ID, T0, 10)
	wantErr(t, "Mute(missing muter)", err, gram.ErrNotFound)
	_, err = s.RequestFollow(t.Context(), alice.ID, missingID(), T0)
	wantErr(t, "RequestFollow(missing)", err, gram.ErrNotFound)
	_, err = s.Ties(t.Context(), alice.ID, missingID())
	wantErr(t, "Ties(missing owner)", err, gram.ErrNotFound)
}

func testBlockCap(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, carol, At(time.Second))
	if _, err := s.Block(t.Context(), alice.ID, bob.ID, At(time.Second), 1); err != nil {
		t.Fatal(err)
	}
	_, err := s.Block(t.Context(), alice.ID, carol.ID, At(2*time.Second), 1)
	wantErr(t, "Block(over the cap)", err, gram.ErrConflict)
	// Nothing of the refused block happened: the follow stays.
	wantIDs(t, s.FollowingIDs, alice.ID, []string{carol.ID})
	edges, err := s.BlockedUsers(t.Context(), alice.ID, gram.Page{Limit: 10})
	noErr(t, "BlockedUsers", err)
	if len(edges) != 1 {
		t.Errorf("BlockedUsers = %v; want bob's block alone", edges)
	}
	// A repeat at the cap is not over it.
	if created, err := s.Block(t.Context(), alice.ID, bob.ID, At(3*time.Second), 1); err != nil || created {
		t.Errorf("Block(repeat at the cap) = %v, %v; want false, nil", created, err)
	}
}

func testUnblock(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	if _, err := s.Block(t.Context(), alice.ID, bob.ID, At(time.Second), 10); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Unblock(t.Context(), bob.ID, alice.ID); err != nil || ok {
		t.Errorf("Unblock(the other way) = %v, %v; want false, nil", ok, err)
	}
	if ok, err := s.Unblock(t.Context(), alice.ID, bob.ID); err != nil || !ok {
		t.Errorf("Unblock = %v, %v; want true, nil", ok, err)
	}
	if ok, err := s.Unblock(t.Context(), alice.ID, bob.ID); err != nil || ok {
		t.Errorf("Unblock(again) = %v, %v; want false, nil", ok, err)
	}
	ties, err := s.Ties(t.Context(), bob.ID, alice.ID)
	noErr(t, "Ties", err)
	if ties != (gram.Ties{}) {
		t.Errorf("Ties after unblock = %+v; want none", ties)
	}
}

func testMute(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	Follow(t, s, alice, bob, At(time.Second))
	if created, err := s.Mute(t.Context(), alice.ID, bob.ID, At(time.Second), 1); err != nil || !created {
		t.Fatalf("Mute = %v, %v; want true, nil", created, err)
	}
	if created, err := s.Mute(t.Context(), alice.ID, bob.ID, At(2*time.Second), 1); err != nil || created {
		t.Errorf("Mute(repeat) = %v, %v; want false, nil", created, err)
	}
	_, err := s.Mute(t.Context(), alice.ID, carol.ID, At(2*time.Second), 1)
	wantErr(t, "Mute(over the cap)", err, gram.ErrConflict)
	// A mute leaves the follow alone.
	wantIDs(t, s.FollowingIDs, alice.ID, []string{bob.ID})
	edges, err := s.MutedUsers(t.Context(), alice.ID, gram.Page{Limit: 10})
	noErr(t, "MutedUsers", err)
	if diff := cmp.Diff([]gram.Edge{{UserID: bob.ID, CreatedAt: At(time.Second)}}, edges); diff != "" {
		t.Errorf("MutedUsers (-want +got):\n%s", diff)
	}
	if ok, err := s.Unmute(t.Context(), alice.ID, bob.ID); err != nil || !ok {
		t.Errorf("Unmute = %v, %v; want true, nil", ok, err)
	}
	if ok, err := s.Unmute(t.Context(), alice.ID, bob.ID); err != nil || ok {
		t.Errorf("Unmute(again) = %v, %v; want false, nil", ok, err)
	}
}

// testBlockedUsersPages walks the blocks (and the mutes, and the follow
// requests: the same keyset) in pages of two, ties broken by id.
func testBlockedUsersPages(t *testing.T, s gram.Store) {
	owner, asked := NewUser(t, s, "owner"), NewUser(t, s, "asked")
	var want []gram.Edge
	for i := range 5 {
		u := NewUser(t, s, "user"+itoa(i))
		at := At(time.Duration(i/2) * time.Second) // two share each time
		want = append(want, gram.Edge{UserID: u.ID, CreatedAt: at})
		if _, err := s.Block(t.Context(), owner.ID, u.ID, at, 10); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Mute(t.Context(), owner.ID, u.ID, at, 10); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestFollow(t.Context(), u.ID, asked.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	// Newest first, the greater id first among equal times.
	want = []gram.Edge{want[4], want[3], want[2], want[1], want[0]}
	if want[1].UserID < want[2].UserID {
		want[1], want[2] = want[2], want[1]
	}
	if want[3].UserID < want[4].UserID {
		want[3], want[4] = want[4], want[3]
	}
	for name, list := range map[string]func(gram.Page) ([]gram.Edge, error){
		"BlockedUsers": func(p gram.Page) ([]gram.Edge, error) { return s.BlockedUsers(t.Context(), owner.ID, p) },
		"MutedUsers":   func(p gram.Page) ([]gram.Edge, error) { return s.MutedUsers(t.Context(), owner.ID, p) },
		"FollowRequestsTo": func(p gram.Page) ([]gram.Edge, error) {
			return s.FollowRequestsTo(t.Context(), asked.ID, p)
		},
	} {
		var got []gram.Edge
		page := gram.Page{Limit: 2}
		for range 4 {
			edges, err := list(page)
			noErr(t, name, err)
			got = append(got, edges...)
			if len(edges) < page.Limit {
				break
			}
			last := edges[len(edges)-1]
			page.CursorAt, page.CursorID = last.CreatedAt, last.UserID
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s in pages of 2 (-want +got):\n%s", name, diff)
		}
	}
}

func testTies(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	ties := func(a, b *gram.User) gram.Ties {
		t.Helper()
		got, err := s.Ties(t.Context(), a.ID, b.ID)
		noErr(t, "Ties", err)
		return got
	}
	if got := ties(alice, bob); got != (gram.Ties{}) {
		t.Errorf("Ties of strangers = %+v", got)
	}
	Follow(t, s, alice, bob, At(time.Second))
	if _, err := s.Mute(t.Context(), alice.ID, bob.ID, At(time.Second), 10); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RequestFollow(t.Context(), bob.ID, alice.ID, At(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got, want := ties(alice, bob), (gram.Ties{Follows: true, Mutes: true}); got != want {
		t.Errorf("Ties(alice, bob) = %+v; want %+v", got, want)
	}
	if got, want := ties(bob, alice), (gram.Ties{Requested: true}); got != want {
		t.Errorf("Ties(bob, alice) = %+v; want %+v", got, want)
	}
	if _, err := s.Block(t.Context(), bob.ID, alice.ID, At(2*time.Second), 10); err != nil {
		t.Fatal(err)
	}
	if got, want := ties(alice, bob), (gram.Ties{BlockedBy: true, Mutes: true}); got != want {
		t.Errorf("Ties(alice, bob) after bob blocks alice = %+v; want %+v", got, want)
	}
	if got, want := ties(bob, alice), (gram.Ties{Blocks: true}); got != want {
		t.Errorf("Ties(bob, alice) after bob blocks alice = %+v; want %+v", got, want)
	}
}

func testShield(t *testing.T, s gram.Store) {
	me := NewUser(t, s, "me")
	var ids []string
	users := map[string]*gram.User{}
	for _, name := range []string{"blocked", "blocker", "muted", "stranger"} {
		users[name] = NewUser(t, s, name)
		ids = append(ids, users[name].ID)
	}
	must := func(_ bool, err error) {
		t.Helper()
		noErr(t, "edge", err)
	}
	must(s.Block(t.Context(), me.ID, users["blocked"].ID, T0, 10))
	must(s.Block(t.Context(), users["blocker"].ID, me.ID, T0, 10))
	must(s.Mute(t.Context(), me.ID, users["muted"].ID, T0, 10))
	// Someone else's block is no business of mine.
	must(s.Block(t.Context(), users["stranger"].ID, users["muted"].ID, T0, 10))
	sh, err := s.Shield(t.Context(), me.ID, append(append(ids, ids...), me.ID, missingID()))
	noErr(t, "Shield", err)
	want := gram.Shield{Blocked: map[string]bool{users["blocked"].ID: true, users["blocker"].ID: true},
		Muted: map[string]bool{users["muted"].ID: true}}
	if diff := cmp.Diff(want, sh); diff != "" {
		t.Errorf("Shield (-want +got):\n%s", diff)
	}
	// More ids than one statement binds.
	many := make([]string, 0, 1000)
	for range 1000 {
		many = append(many, missingID())
	}
	sh, err = s.Shield(t.Context(), me.ID, append(many, users["blocker"].ID))
	noErr(t, "Shield(1001 ids)", err)
	if !sh.Blocked[users["blocker"].ID] || len(sh.Blocked) != 1 {
		t.Errorf("Shield(1001 ids) = %v; want the blocker alone", sh)
	}
}

// viewerWorld is one viewer and an author of each relation, each with a
// post at a second of its own and a story.
type viewerWorld struct {
	me                                                        *gram.User
	public, private, followedPrivate, blocked, blocker, muted *gram.User
	posts                                                     map[string]string // author id -> post id
}

func newViewerWorld(t *testing.T, s gram.Store) viewerWorld {
	w := viewerWorld{me: NewUser(t, s, "me"), posts: map[string]string{}}
	mk := func(name string, private bool) *gram.User {
		u := NewUser(t, s, name)
		if private {
			var err error
			u, err = s.UpdateUser(t.Context(), u.ID, func(u *gram.User) error { u.Private = true; return nil })
			noErr(t, "UpdateUser(private)", err)
		}
		return u
	}
	w.public, w.private, w.followedPrivate = mk("public", false), mk("private", true), mk("followed", true)
	w.blocked, w.blocker, w.muted = mk("blocked", false), mk("blocker", false), mk("muted", false)
	Follow(t, s, w.me, w.followedPrivate, At(time.Second))
	Follow(t, s, w.me, w.muted, At(time.Second))
	noErr(t, "Block", errOf(s.Block(t.Context(), w.me.ID, w.blocked.ID, At(time.Second), 10)))
	noErr(t, "Block", errOf(s.Block(t.Context(), w.blocker.ID, w.me.ID, At(time.Second), 10)))
	noErr(t, "Mute", errOf(s.Mute(t.Context(), w.me.ID, w.muted.ID, At(time.Second), 10)))
	for i, u := range []*gram.User{w.me, w.public, w.private, w.followedPrivate, w.blocked, w.blocker, w.muted} {
		w.posts[u.ID] = NewPost(t, s, u, At(time.Duration(10+i)*time.Second)).ID
		NewStory(t, s, u, At(time.Duration(10+i)*time.Second))
	}
	return w
}

// names returns the usernames of the world's users with those ids, sorted.
func (w viewerWorld) names(ids []string) []string {
	byID := map[string]string{}
	for _, u := range []*gram.User{w.me, w.public, w.private, w.followedPrivate, w.blocked, w.blocker, w.muted} {
		byID[u.ID] = u.Username
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return sortStrings(out)
}

func testFeedViewer(t *testing.T, s gram.Store) {
	w := newViewerWorld(t, s)
	authors := func(viewerID string, page gram.Page) []string {
		t.Helper()
		posts, err := s.Feed(t.Context(), viewerID, page)
		noErr(t, "Feed", err)
		ids := make([]string, len(posts))
		for i, p := range posts {
			ids[i] = p.AuthorID
		}
		return w.names(ids)
	}
	if diff := cmp.Diff(sortStrings([]string{"me", "public", "followed"}), authors(w.me.ID, gram.Page{Limit: 10})); diff != "" {
		t.Errorf("Feed for me (-want +got):\n%s", diff)
	}
	// The filter is in the query: a page of 2 is full while posts follow.
	if got := authors(w.me.ID, gram.Page{Limit: 2}); len(got) != 2 {
		t.Errorf("Feed for me, limit 2 = %v; want 2 posts", got)
	}
	if diff := cmp.Diff(sortStrings([]string{"me", "public", "blocked", "blocker", "muted"}), authors("", gram.Page{Limit: 10})); diff != "" {
		t.Errorf("Feed for nobody (-want +got):\n%s", diff)
	}
	// The blocker's own feed lacks me, whom it blocks.
	if got := authors(w.blocker.ID, gram.Page{Limit: 10}); len(got) != 4 || slices.Contains(got, "me") {
		t.Errorf("Feed for the blocker = %v; want public accounts but me", got)
	}
}

func testStoriesViewer(t *testing.T, s gram.Store) {
	w := newViewerWorld(t, s)
	stories, err := s.ActiveStories(t.Context(), w.me.ID, At(time.Minute), 100)
	noErr(t, "ActiveStories", err)
	ids := make([]string, len(stories))
	for i, st := range stories {
		ids[i] = st.UserID
	}
	if diff := cmp.Diff(sortStrings([]string{"me", "public", "followed"}), w.names(ids)); diff != "" {
		t.Errorf("ActiveStories for me (-want +got):\n%s", diff)
	}
}

func testPrivateSaved(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	u, err := s.UpdateUser(t.Context(), alice.ID, func(u *gram.User) error { u.Private = true; return nil })
	noErr(t, "UpdateUser", err)
	got, err := s.UserByID(t.Context(), alice.ID)
	noErr(t, "UserByID", err)
	if !u.Private || !got.Private {
		t.Errorf("Private after saving it = %v, read back %v; want true", u.Private, got.Private)
	}
}
