package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var blobQueueTests = []test{
	{"ClaimBlobDeletions/RoundTripLease", testClaimBlobs},
	{"ClaimBlobDeletions/DueOrderLimit", testClaimBlobsOrder},
	{"ClaimBlobDeletions/ConcurrentClaimersDisjoint", testClaimBlobsConcurrent},
	{"QueueBlobDeletions/KeepsQueuedSkipsEmpty", testQueueBlobsKeeps},
	{"BlobDeleted/AnyClaim", testBlobDeleted},
	{"RetryBlobDeletion/StaleClaimRefused", testRetryBlob},
	{"BlobQueue/DeletePostQueuesPhoto", testDeletePostQueues},
	{"BlobQueue/DeleteStoryQueuesPhoto", testDeleteStoryQueues},
	{"BlobQueue/DeleteUserQueuesPrefix", testDeleteUserQueues},
	{"BlobQueue/UserSaveQueuesReplacedPhoto", testUserSaveQueues},
}

func claimBlobs(t *testing.T, s gram.Store, now time.Time, lease time.Duration, limit int) []gram.BlobDeletion {
	t.Helper()
	got, err := s.ClaimBlobDeletions(t.Context(), now, lease, limit)
	noErr(t, "ClaimBlobDeletions", err)
	return got
}

// queuedKeys claims every queued key far in the future and returns the
// keys, sorted; the claim leases them, so a test calls it last.
func queuedKeys(t *testing.T, s gram.Store) []string {
	t.Helper()
	keys := blobKeys(claimBlobs(t, s, At(1000*time.Hour), time.Minute, 1000))
	slices.Sort(keys)
	return keys
}

func blobKeys(ds []gram.BlobDeletion) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Key
	}
	return out
}

func wantQueued(t *testing.T, s gram.Store, what string, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, queuedKeys(t, s)); diff != "" {
		t.Errorf("%s: queued blob deletions (-want +got):\n%s", what, diff)
	}
}

func queueBlobs(t *testing.T, s gram.Store, at time.Time, keys ...string) {
	t.Helper()
	noErr(t, "QueueBlobDeletions", s.QueueBlobDeletions(t.Context(), at, keys...))
}

func testClaimBlobs(t *testing.T, s gram.Store) {
	queueBlobs(t, s, T0, "users/u1/posts/p1.jpg")
	now := At(time.Second)
	got := claimBlobs(t, s, now, time.Minute, 10)
	want := gram.BlobDeletion{Key: "users/u1/posts/p1.jpg", Attempts: 1, NextAttemptAt: now.Add(time.Minute)}
	if len(got) == 1 {
		if got[0].ClaimToken == "" {
			t.Errorf("ClaimBlobDeletions gave no claim token")
		}
		want.ClaimToken = got[0].ClaimToken
	}
	if diff := cmp.Diff([]gram.BlobDeletion{want}, got); diff != "" {
		t.Errorf("ClaimBlobDeletions (-want +got):\n%s", diff)
	}
	if got := claimBlobs(t, s, now.Add(59*time.Second), time.Minute, 10); len(got) != 0 {
		t.Errorf("claim during the lease = %d deletions; want 0", len(got))
	}
	got = claimBlobs(t, s, now.Add(time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Attempts != 2 || got[0].ClaimToken == want.ClaimToken {
		t.Errorf("claim after the lease = %+v; want the deletion with 2 attempts and a new claim", got)
	}
}

func testClaimBlobsOrder(t *testing.T, s gram.Store) {
	queueBlobs(t, s, At(2*time.Second), "late")
	queueBlobs(t, s, At(time.Second), "early")
	queueBlobs(t, s, At(time.Hour), "not-due")
	if diff := cmp.Diff([]string{"early"}, blobKeys(claimBlobs(t, s, At(time.Minute), time.Minute, 1))); diff != "" {
		t.Errorf("claim(limit 1) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"late"}, blobKeys(claimBlobs(t, s, At(time.Minute), time.Minute, 10))); diff != "" {
		t.Errorf("claim (-want +got):\n%s", diff)
	}
}

// testClaimBlobsConcurrent: two deleters claim in a loop; every key is
// claimed by exactly one of them.
func testClaimBlobsConcurrent(t *testing.T, s gram.Store) {
	const n = 100
	for i := range n {
		queueBlobs(t, s, T0, "users/u/posts/"+gram.NewID(At(time.Duration(i)*time.Millisecond))+".jpg")
	}
	wantDisjointClaims(t, n, func() ([]string, error) {
		got, err := s.ClaimBlobDeletions(t.Context(), T0, time.Hour, 7)
		return blobKeys(got), err
	})
}

func testQueueBlobsKeeps(t *testing.T, s gram.Store) {
	queueBlobs(t, s, At(time.Hour), "k")
	queueBlobs(t, s, T0, "k", "", "j")
	got := claimBlobs(t, s, At(time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].Key != "j" {
		t.Errorf("claim at T0+1m = %+v; want only j (k keeps its later due time, the empty key is skipped)", got)
	}
	wantQueued(t, s, "after queueing k twice", "j", "k")
}

func testBlobDeleted(t *testing.T, s gram.Store) {
	queueBlobs(t, s, T0, "a", "b")
	claimBlobs(t, s, T0, time.Minute, 10)
	noErr(t, "BlobDeleted(claimed)", s.BlobDeleted(t.Context(), "a"))
	noErr(t, "BlobDeleted(unknown)", s.BlobDeleted(t.Context(), "never-queued"))
	noErr(t, "BlobDeleted(again)", s.BlobDeleted(t.Context(), "a"))
	wantQueued(t, s, "after deleting a", "b")
}

// testRetryBlob: the holder of the latest claim records a failure and
// the key comes due again; a superseded claim records nothing.
func testRetryBlob(t *testing.T, s gram.Store) {
	queueBlobs(t, s, T0, "k")
	first := claimBlobs(t, s, T0, time.Minute, 10)
	second := claimBlobs(t, s, At(time.Minute), time.Minute, 10)
	if len(first) != 1 || len(second) != 1 {
		t.Fatalf("claims %+v then %+v; want the key twice", first, second)
	}
	stale, fresh := first[0].ClaimToken, second[0].ClaimToken
	wantErr(t, "RetryBlobDeletion(stale claim)", s.RetryBlobDeletion(t.Context(), "k", stale, "late", T0), gram.ErrConflict)
	noErr(t, "RetryBlobDeletion", s.RetryBlobDeletion(t.Context(), "k", fresh, "503 SlowDown", At(time.Hour)))
	if got := claimBlobs(t, s, At(time.Hour-time.Millisecond), time.Minute, 10); len(got) != 0 {
		t.Errorf("claim before retryAt = %d deletions; want 0", len(got))
	}
	got := claimBlobs(t, s, At(time.Hour), time.Minute, 10)
	if len(got) != 1 || got[0].LastError != "503 SlowDown" || got[0].Attempts != 3 {
		t.Errorf("claim at retryAt = %+v; want k with its error and 3 attempts", got)
	}
	noErr(t, "BlobDeleted", s.BlobDeleted(t.Context(), "k"))
	wantErr(t, "RetryBlobDeletion(after deleted)", s.RetryBlobDeletion(t.Context(), "k", got[0].ClaimToken, "x", T0), gram.ErrNotFound)
}

func testDeletePostQueues(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "ada")
	p := NewPost(t, s, u, At(time.Second))
	NewPost(t, s, u, At(2*time.Second))
	wantErr(t, "DeletePost(unknown)", s.DeletePost(t.Context(), missingID(), nil), gram.ErrNotFound)
	noErr(t, "DeletePost", s.DeletePost(t.Context(), p.ID, nil))
	due := claimBlobs(t, s, T0, time.Minute, 10)
	if len(due) != 1 || due[0].Key != p.PhotoKey {
		t.Errorf("due right after DeletePost: %+v; want the post's photo %q", due, p.PhotoKey)
	}
}

func testDeleteStoryQueues(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "ada")
	st := NewStory(t, s, u, At(time.Second))
	wantErr(t, "DeleteStory(unknown)", s.DeleteStory(t.Context(), missingID(), nil), gram.ErrNotFound)
	noErr(t, "DeleteStory", s.DeleteStory(t.Context(), st.ID, nil))
	wantQueued(t, s, "after DeleteStory", st.PhotoKey)
}

func testDeleteUserQueues(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "ada")
	NewPost(t, s, u, At(time.Second))
	NewStory(t, s, u, At(time.Second))
	wantErr(t, "DeleteUser(unknown)", s.DeleteUser(t.Context(), missingID()), gram.ErrNotFound)
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), u.ID))
	wantQueued(t, s, "after DeleteUser", gram.UserPrefix(u.ID))
}

// testUserSaveQueues: a save that replaces or removes the photo queues
// the previous key; one that keeps it, or fails, queues nothing.
func testUserSaveQueues(t *testing.T, s gram.Store) {
	u := NewUser(t, s, "ada")
	setPhoto := func(key string) {
		t.Helper()
		_, err := s.UpdateUser(t.Context(), u.ID, func(u *gram.User) error { u.PhotoKey = key; return nil })
		noErr(t, "UpdateUser", err)
	}
	boom := errors.New("boom")
	_, err := s.UpdateUser(t.Context(), u.ID, func(u *gram.User) error { u.PhotoKey = ""; return boom })
	wantErr(t, "UpdateUser(fn fails)", err, boom)
	_, err = s.UpdateUser(t.Context(), u.ID, func(u *gram.User) error { u.Bio = "new bio"; return nil })
	noErr(t, "UpdateUser(bio)", err)
	if got := claimBlobs(t, s, T0, time.Minute, 10); len(got) != 0 {
		t.Fatalf("queued after saves that kept the photo: %+v", got)
	}
	setPhoto("users/ada/avatars/2.jpg")
	setPhoto("")
	setPhoto("users/ada/avatars/3.jpg")
	_, err = s.ModerateUser(t.Context(), u.ID, func(u *gram.User) error { u.PhotoKey = ""; return nil }, nil)
	noErr(t, "ModerateUser", err)
	wantQueued(t, s, "after replacing, removing, adding and moderating away the photo",
		"users/ada/avatar.jpg", "users/ada/avatars/2.jpg", "users/ada/avatars/3.jpg")
}
