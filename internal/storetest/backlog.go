package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var backlogTests = []test{
	{"Backlog/Empty", testBacklogEmpty},
	{"Backlog/CountsPendingOnly", testBacklogCounts},
}

func backlog(t *testing.T, s gram.Store) gram.Backlog {
	t.Helper()
	b, err := s.Backlog(t.Context())
	noErr(t, "Backlog", err)
	return b
}

func testBacklogEmpty(t *testing.T, s gram.Store) {
	if diff := cmp.Diff(gram.Backlog{}, backlog(t, s)); diff != "" {
		t.Errorf("Backlog of an empty store (-want +got):\n%s", diff)
	}
}

// testBacklogCounts: pending mail is what is neither sent nor given up,
// due or not, and the oldest is by creation; every queued removal counts,
// claimed or not, until it is confirmed.
func testBacklogCounts(t *testing.T, s gram.Store) {
	enqueue := func(created, due time.Time) gram.OutboxMail {
		m := gram.OutboxMail{Message: gram.Message{ID: gram.NewID(created), To: "to@example.com", Subject: "s", Text: "t"},
			CreatedAt: created, NextAttemptAt: due}
		noErr(t, "EnqueueMail", s.EnqueueMail(t.Context(), m))
		return m
	}
	enqueue(At(-3*time.Hour), T0) // to be sent
	enqueue(At(-2*time.Hour), T0) // to be given up
	enqueue(At(-time.Hour), At(time.Hour))
	enqueue(At(-time.Minute), T0)
	sent, failed := claimOldest(t, s)
	noErr(t, "MarkMailSent", s.MarkMailSent(t.Context(), sent.ID, sent.ClaimToken, At(time.Second)))
	noErr(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), failed.ID, failed.ClaimToken, "550", T0, true))

	queueBlobs(t, s, T0, "users/a/1.jpg", "users/b/", "users/c/2.jpg")
	claimed := claimBlobs(t, s, At(time.Second), time.Minute, 1)
	noErr(t, "BlobDeleted", s.BlobDeleted(t.Context(), "users/c/2.jpg"))

	want := gram.Backlog{MailPending: 2, OldestMail: At(-time.Hour), BlobDeletions: 2}
	if diff := cmp.Diff(want, backlog(t, s)); diff != "" {
		t.Errorf("Backlog after 1 sent and 1 given up of 4 mails, 1 of 3 removals confirmed and 1 claimed (%v) (-want +got):\n%s",
			blobKeys(claimed), diff)
	}
}

// claimOldest claims the two oldest due mails of testBacklogCounts.
func claimOldest(t *testing.T, s gram.Store) (first, second gram.OutboxMail) {
	t.Helper()
	got := claim(t, s, At(time.Second), time.Minute, 3)
	byCreated := map[time.Time]gram.OutboxMail{}
	for _, m := range got {
		byCreated[m.CreatedAt] = m
	}
	first, ok1 := byCreated[At(-3*time.Hour)]
	second, ok2 := byCreated[At(-2*time.Hour)]
	if !ok1 || !ok2 {
		t.Fatalf("ClaimMail = %v; want the mails created 3h and 2h before", mailIDs(got))
	}
	return first, second
}
