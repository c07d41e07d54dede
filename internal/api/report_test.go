package api_test

import (
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// fileReport has u report the target and returns the report's id.
func (h *harness) fileReport(t *testing.T, u user, typ, id, reason string) string {
	t.Helper()
	st, body := h.do(t, "POST", "/instamern/reports", u.Token, map[string]any{"type": typ, "id": id, "reason": reason, "note": "  see this  "})
	wantSuccess(t, st, body, 201)
	r := obj(t, body, "data", "report")
	if r["state"] != "open" || r["note"] != "see this" || r["type"] != typ || r["targetId"] != id {
		t.Errorf("filed report: %v", r)
	}
	return r["_id"].(string)
}

// reportQueue returns the ids of a staff queue page and its next cursor.
func (h *harness) reportQueue(t *testing.T, staff user, query string) ([]string, string) {
	t.Helper()
	st, body := h.do(t, "GET", "/instamern/admin/reports?"+query, staff.Token, nil)
	wantSuccess(t, st, body, 200)
	var ids []string
	for _, r := range list(t, body, "data", "reports") {
		ids = append(ids, r.(map[string]any)["_id"].(string))
	}
	next, _ := body["next"].(string)
	return ids, next
}

// A report of a post, filed, queued, resolved by deleting the post: the
// snapshot outlives the post, both the deletion and the resolution are
// audited, and the reporter is notified and sees the outcome.
func TestReportDeletePost(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, mod, admin := h.staffUsers(t)
		alice, bob := h.signup(t, "alice"), h.signup(t, "bob")
		postID := h.post(t, alice, "buy followers now")
		id := h.fileReport(t, bob, "post", postID, "spam")

		st, body := h.do(t, "POST", "/instamern/reports", bob.Token, map[string]any{"type": "post", "id": postID, "reason": "scam"})
		wantFail(t, st, body, 409, "You have already reported this. A moderator will look at it.")
		st, body = h.do(t, "POST", "/instamern/reports", alice.Token, map[string]any{"type": "post", "id": postID, "reason": "spam"})
		wantFail(t, st, body, 400, "You cannot report yourself or your own post.")
		st, body = h.do(t, "GET", "/instamern/admin/reports", bob.Token, nil)
		wantFail(t, st, body, 403, "Only moderators and admins can do that.")

		st, body = h.do(t, "GET", "/instamern/admin/reports/"+id, mod.Token, nil)
		wantSuccess(t, st, body, 200)
		snap := obj(t, body, "data", "report", "snapshot")
		if snap["author"] != alice.ID || snap["authorUsername"] != "alice" || snap["text"] != "buy followers now" || snap["photoKey"] == "" {
			t.Errorf("snapshot: %v", snap)
		}
		if r := obj(t, body, "data", "report"); r["reporter"] != bob.ID {
			t.Errorf("reporter: %v", r)
		}

		st, body = h.do(t, "POST", "/instamern/admin/reports/"+id+"/resolve", mod.Token, map[string]any{"action": "delete"})
		wantFail(t, st, body, 400, "Please give a reason for this action.")
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+id+"/resolve", mod.Token, map[string]any{"action": "ban", "reason": "x"})
		wantFail(t, st, body, 400, "The action must be dismiss, delete or suspend.")
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+id+"/resolve", mod.Token, map[string]any{"action": "delete", "reason": "spam indeed"})
		wantSuccess(t, st, body, 200)
		r := obj(t, body, "data", "report")
		if r["state"] != "resolved" || r["action"] != "delete" || r["resolvedBy"] != mod.ID || r["resolution"] != "spam indeed" {
			t.Errorf("resolved report: %v", r)
		}
		if st, _ := h.do(t, "GET", "/instamern/posts/"+postID, "", nil); st != 404 {
			t.Errorf("post after a delete resolution: %d; want 404", st)
		}
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+id+"/resolve", mod.Token, map[string]any{"action": "dismiss", "reason": "again"})
		wantFail(t, st, body, 409, "That report is already resolved.")

		// The snapshot outlives the post.
		st, body = h.do(t, "GET", "/instamern/admin/reports/"+id, mod.Token, nil)
		wantSuccess(t, st, body, 200)
		if snap := obj(t, body, "data", "report", "snapshot"); snap["text"] != "buy followers now" {
			t.Errorf("snapshot after deletion: %v", snap)
		}
		actions := h.auditActions(t, admin)
		if len(actions) < 2 || actions[0]["action"] != gram.AuditResolveReport || actions[0]["targetId"] != id ||
			actions[1]["action"] != gram.AuditDeletePost || actions[1]["targetId"] != postID {
			t.Errorf("audit log: %v", actions)
		}

		// The reporter: a notification, and the outcome in their list.
		notes, err := h.store.NotificationsFor(t.Context(), bob.ID, 10)
		if err != nil || len(notes) != 1 || notes[0].Kind != gram.NotifyReport {
			t.Errorf("bob's notifications: %v, %v", notes, err)
		}
		st, body = h.do(t, "GET", "/instamern/reports", bob.Token, nil)
		wantSuccess(t, st, body, 200)
		mine := list(t, body, "data", "reports")
		if len(mine) != 1 || mine[0].(map[string]any)["action"] != "delete" || mine[0].(map[string]any)["state"] != "resolved" {
			t.Errorf("bob's reports: %v", mine)
		}
		mustLack(t, mine[0].(map[string]any), "reporter", "snapshot", "resolvedBy", "resolution")
		// The original client's notification list stays within its three texts.
		st, body = h.do(t, "GET", "/instamern/users/authorization/current-user", bob.Token, nil)
		wantSuccess(t, st, body, 200)
		if n := list(t, body, "data", "user", "notifications"); len(n) != 0 {
			t.Errorf("legacy notifications carry the report's outcome: %v", n)
		}
	})
}

// Comments, stories and accounts are reported too; suspend suspends the
// author, dismiss changes nothing, and an account cannot be deleted.
func TestReportActions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, mod, _ := h.staffUsers(t)
		alice, bob, carol := h.signup(t, "alice"), h.signup(t, "bob"), h.signup(t, "carol")
		postID := h.post(t, alice, "hello")
		st, body := h.do(t, "POST", "/instamern/posts/comments/"+postID, carol.Token, map[string]any{"comment": "you are awful"})
		wantSuccess(t, st, body, 201)
		commentID := obj(t, body, "data", "comment")["_id"].(string)

		rc := h.fileReport(t, bob, "comment", commentID, "harassment")
		ru := h.fileReport(t, bob, "user", carol.ID, "harassment")
		rp := h.fileReport(t, carol, "post", postID, "other")

		st, body = h.do(t, "GET", "/instamern/admin/reports/"+rc, mod.Token, nil)
		wantSuccess(t, st, body, 200)
		if snap := obj(t, body, "data", "report", "snapshot"); snap["text"] != "you are awful" || snap["post"] != postID {
			t.Errorf("comment snapshot: %v", snap)
		}
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+ru+"/resolve", mod.Token, map[string]any{"action": "delete", "reason": "x"})
		wantFail(t, st, body, 400, "An account cannot be deleted through a report: suspend it instead.")
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+rp+"/resolve", mod.Token, map[string]any{"action": "dismiss", "reason": "fine"})
		wantSuccess(t, st, body, 200)
		if st, _ := h.do(t, "GET", "/instamern/posts/"+postID, "", nil); st != 200 {
			t.Errorf("post after a dismissal: %d", st)
		}
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+ru+"/resolve", mod.Token, map[string]any{"action": "suspend", "reason": "abuse"})
		wantSuccess(t, st, body, 200)
		if u, err := h.store.UserByID(t.Context(), carol.ID); err != nil || !u.Suspended() {
			t.Errorf("carol after a suspend resolution: %+v, %v", u, err)
		}
		// The comment's author is suspended already: its report resolves too.
		st, body = h.do(t, "POST", "/instamern/admin/reports/"+rc+"/resolve", mod.Token, map[string]any{"action": "suspend", "reason": "abuse"})
		wantSuccess(t, st, body, 200)

		for _, c := range []struct {
			body map[string]any
			msg  string
			st   int
		}{
			{map[string]any{"type": "photo", "id": postID, "reason": "spam"}, "You can report a post, a comment, a story or a user.", 400},
			{map[string]any{"type": "post", "id": postID, "reason": "meh"}, "Please pick a reason for the report.", 400},
			{map[string]any{"type": "post", "id": "ffffffffffffffffffffffff", "reason": "spam"}, "There is no such post to report.", 404},
			{map[string]any{"type": "story", "id": "nope", "reason": "spam"}, "There is no such story to report.", 404},
			{map[string]any{"type": "user", "id": bob.ID, "reason": "spam"}, "You cannot report yourself or your own user.", 400},
		} {
			st, body := h.do(t, "POST", "/instamern/reports", bob.Token, c.body)
			wantFail(t, st, body, c.st, c.msg)
		}
		// A block keeps its blocker's content from the blocked, not its
		// victim from reporting the account it blocked.
		dave := h.signup(t, "dave")
		davePost := h.post(t, dave, "dave's")
		st, body = h.do(t, "POST", "/instamern/users/block/bob", dave.Token, nil)
		wantSuccess(t, st, body, 200)
		st, body = h.do(t, "POST", "/instamern/reports", bob.Token, map[string]any{"type": "post", "id": davePost, "reason": "spam"})
		wantFail(t, st, body, 404, "There is no such post to report.")
		st, body = h.do(t, "POST", "/instamern/reports", bob.Token, map[string]any{"type": "user", "id": dave.ID, "reason": "spam"})
		wantFail(t, st, body, 404, "There is no such user to report.")
		h.fileReport(t, dave, "user", bob.ID, "harassment")
		// A private account's posts are reported by its followers only.
		st, body = h.do(t, "PATCH", "/instamern/users/privacy", alice.Token, map[string]any{"private": true})
		wantSuccess(t, st, body, 200)
		privPost := h.post(t, alice, "for followers")
		st, body = h.do(t, "POST", "/instamern/reports", bob.Token, map[string]any{"type": "post", "id": privPost, "reason": "spam"})
		wantFail(t, st, body, 404, "There is no such post to report.")
		h.fileReport(t, bob, "user", alice.ID, "other")

		long := make([]byte, gram.ReportNoteMax+1)
		for i := range long {
			long[i] = 'a'
		}
		st, body = h.do(t, "POST", "/instamern/reports", bob.Token, map[string]any{"type": "post", "id": postID, "reason": "spam", "note": string(long)})
		wantFail(t, st, body, 400, "The note cannot be longer than 500 characters.")
	})
}

// The queue is filtered by state and paged by keyset, newest first.
func TestReportQueuePaging(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		_, mod, _ := h.staffUsers(t)
		alice := h.signup(t, "alice")
		postID := h.post(t, alice, "hello")
		var ids []string
		for _, name := range []string{"rep1", "rep2", "rep3", "rep4", "rep5"} {
			ids = append(ids, h.fileReport(t, h.signup(t, name), "post", postID, "spam"))
			h.clock.Advance(time.Second)
		}
		st, body := h.do(t, "POST", "/instamern/admin/reports/"+ids[2]+"/resolve", mod.Token, map[string]any{"action": "dismiss", "reason": "ok"})
		wantSuccess(t, st, body, 200)

		var got []string
		query := "limit=2"
		for range 5 {
			page, next := h.reportQueue(t, mod, query)
			got = append(got, page...)
			if next == "" {
				break
			}
			query = "limit=2&before=" + next
		}
		want := []string{ids[4], ids[3], ids[1], ids[0]}
		if len(got) != len(want) {
			t.Fatalf("open queue %v; want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("open queue %v; want %v", got, want)
			}
		}
		if page, _ := h.reportQueue(t, mod, "state=resolved"); len(page) != 1 || page[0] != ids[2] {
			t.Errorf("resolved queue %v; want [%s]", page, ids[2])
		}
		if page, _ := h.reportQueue(t, mod, "state=all"); len(page) != 5 {
			t.Errorf("every state: %v", page)
		}
		st, body = h.do(t, "GET", "/instamern/admin/reports?state=closed", mod.Token, nil)
		wantFail(t, st, body, 400, "The state must be open or resolved.")
	})
}
