package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/instamern/gram/internal/gram"
)

var reportTests = []test{
	{"CreateReport/RoundTripsWithSnapshot", testReportRoundTrip},
	{"CreateReport/OneOpenPerReporterAndTarget", testReportOneOpen},
	{"ReportsByState/NewestFirstPagedByState", testReportsByState},
	{"ReportsByReporter/OnlyTheirsNewestFirst", testReportsByReporter},
	{"ResolveReport/ClosesAuditsNotifiesAtOnce", testResolveReport},
	{"ResolveReport/ErrConflictWhenResolved", testResolveReportTwice},
	{"ResolveReport/ErrNotFound", testResolveReportNotFound},
	{"ResolveReport/ReporterGoneSkipsNotification", testResolveReportReporterGone},
	{"Report/SnapshotOutlivesContent", testReportOutlivesContent},
}

// newReport files reporter's open report of a post at at.
func newReport(t *testing.T, s gram.Store, reporter *gram.User, p *gram.Post, at time.Time) *gram.Report {
	t.Helper()
	r := &gram.Report{ID: gram.NewID(at), ReporterID: reporter.ID, TargetType: gram.ReportPost, TargetID: p.ID,
		Reason: "spam", Note: "buy followers", State: gram.ReportOpen, CreatedAt: at,
		Snapshot: gram.Snapshot{AuthorID: p.AuthorID, AuthorUsername: "author", Text: p.Caption, PhotoKey: p.PhotoKey,
			CreatedAt: p.CreatedAt}}
	noErr(t, "CreateReport", s.CreateReport(t.Context(), r))
	return r
}

func reportIDs(rs []*gram.Report) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func testReportRoundTrip(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, At(time.Second))
	c := NewComment(t, s, p, alice, At(2*time.Second))
	r := newReport(t, s, bob, p, At(time.Minute))
	got, err := s.ReportByID(t.Context(), r.ID)
	noErr(t, "ReportByID", err)
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("stored report differs (-filed +stored):\n%s", diff)
	}
	rc := &gram.Report{ID: gram.NewID(At(2 * time.Minute)), ReporterID: bob.ID, TargetType: gram.ReportComment,
		TargetID: c.ID, Reason: "harassment", State: gram.ReportOpen, CreatedAt: At(2 * time.Minute),
		Snapshot: gram.Snapshot{AuthorID: alice.ID, AuthorUsername: "alice", Text: c.Text, PostID: p.ID, CreatedAt: c.CreatedAt}}
	noErr(t, "CreateReport(comment)", s.CreateReport(t.Context(), rc))
	got, err = s.ReportByID(t.Context(), rc.ID)
	noErr(t, "ReportByID(comment)", err)
	if diff := cmp.Diff(rc, got); diff != "" {
		t.Errorf("stored comment report differs (-filed +stored):\n%s", diff)
	}
	wantErr(t, "ReportByID(missing)", errOf(s.ReportByID(t.Context(), missingID())), gram.ErrNotFound)
}

func testReportOneOpen(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	p := NewPost(t, s, alice, At(time.Second))
	r := newReport(t, s, bob, p, At(time.Minute))
	again := *r
	again.ID = gram.NewID(At(2 * time.Minute))
	wantErr(t, "CreateReport(second open)", s.CreateReport(t.Context(), &again), gram.ErrConflict)
	newReport(t, s, carol, p, At(3*time.Minute)) // another reporter may
	// Once resolved, the same reporter may report the target again.
	_, err := s.ResolveReport(t.Context(), r.ID, gram.ReportResolution{ResolvedAt: At(4 * time.Minute),
		ResolvedBy: alice.ID, Action: gram.ReportDismiss, Resolution: "fine"}, nil, nil)
	noErr(t, "ResolveReport", err)
	noErr(t, "CreateReport(after resolution)", s.CreateReport(t.Context(), &again))
}

func testReportsByState(t *testing.T, s gram.Store) {
	alice := NewUser(t, s, "alice")
	p := NewPost(t, s, alice, At(time.Second))
	var all []*gram.Report
	for i := range 5 {
		all = append(all, newReport(t, s, newUserAt(t, s, "r"+itoa(i), At(0)), p, At(time.Duration(i+1)*time.Minute)))
	}
	_, err := s.ResolveReport(t.Context(), all[1].ID, gram.ReportResolution{ResolvedAt: At(time.Hour),
		ResolvedBy: alice.ID, Action: gram.ReportDismiss, Resolution: "fine"}, nil, nil)
	noErr(t, "ResolveReport", err)
	open := []string{all[4].ID, all[3].ID, all[2].ID, all[0].ID}
	var got []string
	page := gram.Page{Limit: 3}
	for {
		rs, err := s.ReportsByState(t.Context(), gram.ReportOpen, page)
		noErr(t, "ReportsByState(open)", err)
		got = append(got, reportIDs(rs)...)
		if len(rs) < page.Limit {
			break
		}
		last := rs[len(rs)-1]
		page.CursorAt, page.CursorID = last.CreatedAt, last.ID
	}
	if diff := cmp.Diff(open, got); diff != "" {
		t.Errorf("open queue (-want +got):\n%s", diff)
	}
	rs, err := s.ReportsByState(t.Context(), gram.ReportResolved, gram.Page{Limit: 10})
	noErr(t, "ReportsByState(resolved)", err)
	if diff := cmp.Diff([]string{all[1].ID}, reportIDs(rs)); diff != "" {
		t.Errorf("resolved queue (-want +got):\n%s", diff)
	}
	rs, err = s.ReportsByState(t.Context(), "", gram.Page{Limit: 10})
	noErr(t, "ReportsByState(all)", err)
	if len(rs) != 5 || rs[0].ID != all[4].ID {
		t.Errorf("every state: got %v", reportIDs(rs))
	}
}

func testReportsByReporter(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	p1, p2 := NewPost(t, s, alice, At(time.Second)), NewPost(t, s, alice, At(2*time.Second))
	b1 := newReport(t, s, bob, p1, At(time.Minute))
	newReport(t, s, carol, p1, At(2*time.Minute))
	b2 := newReport(t, s, bob, p2, At(3*time.Minute))
	rs, err := s.ReportsByReporter(t.Context(), bob.ID, gram.Page{Limit: 10})
	noErr(t, "ReportsByReporter", err)
	if diff := cmp.Diff([]string{b2.ID, b1.ID}, reportIDs(rs)); diff != "" {
		t.Errorf("bob's reports (-want +got):\n%s", diff)
	}
	rs, err = s.ReportsByReporter(t.Context(), bob.ID, gram.Page{Limit: 10, CursorAt: b2.CreatedAt, CursorID: b2.ID})
	noErr(t, "ReportsByReporter(page 2)", err)
	if diff := cmp.Diff([]string{b1.ID}, reportIDs(rs)); diff != "" {
		t.Errorf("bob's second page (-want +got):\n%s", diff)
	}
}

func testResolveReport(t *testing.T, s gram.Store) {
	alice, bob, mod := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "mod")
	p := NewPost(t, s, alice, At(time.Second))
	r := newReport(t, s, bob, p, At(time.Minute))
	res := gram.ReportResolution{ResolvedAt: At(time.Hour), ResolvedBy: mod.ID, Action: gram.ReportDelete, Resolution: "spam indeed"}
	e := &gram.AuditEntry{ID: gram.NewID(At(time.Hour)), ActorID: mod.ID, Action: gram.AuditResolveReport,
		TargetType: "report", TargetID: r.ID, Detail: "delete post " + p.ID, Reason: "spam indeed", CreatedAt: At(time.Hour)}
	n := &gram.Notification{ID: gram.NewID(At(time.Hour)), RecipientID: bob.ID, ActorID: bob.ID, Kind: gram.NotifyReport, CreatedAt: At(time.Hour)}
	got, err := s.ResolveReport(t.Context(), r.ID, res, e, n)
	noErr(t, "ResolveReport", err)
	want := *r
	want.State, want.ResolvedAt, want.ResolvedBy, want.Action, want.Resolution = gram.ReportResolved, res.ResolvedAt, mod.ID, res.Action, res.Resolution
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("resolved report (-want +got):\n%s", diff)
	}
	stored, err := s.ReportByID(t.Context(), r.ID)
	noErr(t, "ReportByID", err)
	if diff := cmp.Diff(&want, stored); diff != "" {
		t.Errorf("stored report (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]*gram.AuditEntry{e}, auditLog(t, s)); diff != "" {
		t.Errorf("audit log (-want +got):\n%s", diff)
	}
	notes, err := s.NotificationsFor(t.Context(), bob.ID, 10)
	noErr(t, "NotificationsFor", err)
	if diff := cmp.Diff([]*gram.Notification{n}, notes); diff != "" {
		t.Errorf("bob's notifications (-want +got):\n%s", diff)
	}
	// A second outcome notifies again: report outcomes are not deduplicated.
	r2 := newReport(t, s, bob, p, At(2*time.Hour))
	n2 := *n
	n2.ID, n2.CreatedAt = gram.NewID(At(3*time.Hour)), At(3*time.Hour)
	res.ResolvedAt = At(3 * time.Hour)
	_, err = s.ResolveReport(t.Context(), r2.ID, res, nil, &n2)
	noErr(t, "ResolveReport(second)", err)
	if notes, _ := s.NotificationsFor(t.Context(), bob.ID, 10); len(notes) != 2 {
		t.Errorf("bob has %d notifications after two outcomes; want 2", len(notes))
	}
}

func testResolveReportTwice(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	r := newReport(t, s, bob, NewPost(t, s, alice, At(time.Second)), At(time.Minute))
	res := gram.ReportResolution{ResolvedAt: At(time.Hour), ResolvedBy: alice.ID, Action: gram.ReportDismiss, Resolution: "ok"}
	noErr(t, "ResolveReport", errOf(s.ResolveReport(t.Context(), r.ID, res, nil, nil)))
	e := entry(gram.AuditResolveReport, r.ID, At(2*time.Hour))
	n := &gram.Notification{ID: gram.NewID(At(2 * time.Hour)), RecipientID: bob.ID, ActorID: bob.ID, Kind: gram.NotifyReport, CreatedAt: At(2 * time.Hour)}
	wantErr(t, "ResolveReport(again)", errOf(s.ResolveReport(t.Context(), r.ID, res, e, n)), gram.ErrConflict)
	if es := auditLog(t, s); len(es) != 0 {
		t.Errorf("audit entries written by a refused resolution: %v", es)
	}
	if notes, _ := s.NotificationsFor(t.Context(), bob.ID, 10); len(notes) != 0 {
		t.Errorf("notifications stored by a refused resolution: %v", notes)
	}
}

func testResolveReportNotFound(t *testing.T, s gram.Store) {
	res := gram.ReportResolution{ResolvedAt: At(time.Hour), ResolvedBy: "x", Action: gram.ReportDismiss, Resolution: "ok"}
	_, err := s.ResolveReport(t.Context(), missingID(), res, entry(gram.AuditResolveReport, "x", At(time.Hour)), nil)
	wantErr(t, "ResolveReport", err, gram.ErrNotFound)
	if es := auditLog(t, s); len(es) != 0 {
		t.Errorf("audit entries written for a missing report: %v", es)
	}
}

func testResolveReportReporterGone(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	r := newReport(t, s, bob, NewPost(t, s, alice, At(time.Second)), At(time.Minute))
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), bob.ID))
	n := &gram.Notification{ID: gram.NewID(At(time.Hour)), RecipientID: bob.ID, ActorID: bob.ID, Kind: gram.NotifyReport, CreatedAt: At(time.Hour)}
	res := gram.ReportResolution{ResolvedAt: At(time.Hour), ResolvedBy: alice.ID, Action: gram.ReportDismiss, Resolution: "ok"}
	got, err := s.ResolveReport(t.Context(), r.ID, res, entry(gram.AuditResolveReport, r.ID, At(time.Hour)), n)
	noErr(t, "ResolveReport", err)
	if got.State != gram.ReportResolved {
		t.Errorf("state = %q; want resolved", got.State)
	}
	if es := auditLog(t, s); len(es) != 1 {
		t.Errorf("audit log has %d entries; want 1", len(es))
	}
}

func testReportOutlivesContent(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	p := NewPost(t, s, alice, At(time.Second))
	r := newReport(t, s, bob, p, At(time.Minute))
	noErr(t, "DeletePost", s.DeletePost(t.Context(), p.ID, nil))
	noErr(t, "DeleteUser", s.DeleteUser(t.Context(), alice.ID))
	got, err := s.ReportByID(t.Context(), r.ID)
	noErr(t, "ReportByID", err)
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("report after its content and author were deleted (-filed +stored):\n%s", diff)
	}
}
