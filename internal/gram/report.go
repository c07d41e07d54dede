package gram

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"
)

// Reports: any user reports a post, comment, story or account with a
// reason; staff work the queue and resolve each report with an action.

// What a report is about.
const (
	ReportPost    = "post"
	ReportComment = "comment"
	ReportStory   = "story"
	ReportUser    = "user"
)

// ReportTypes lists what can be reported.
var ReportTypes = []string{ReportPost, ReportComment, ReportStory, ReportUser}

// ReportReasons lists the reasons a reporter picks from.
var ReportReasons = []string{"spam", "nudity", "harassment", "hate", "violence", "self_harm",
	"scam", "intellectual_property", "other"}

// States of a report.
const (
	ReportOpen     = "open"
	ReportResolved = "resolved"
)

// Actions that resolve a report: dismiss it, delete the reported content,
// or suspend its author (the reported account itself for a user report).
const (
	ReportDismiss = "dismiss"
	ReportDelete  = "delete"
	ReportSuspend = "suspend"
)

// ReportNoteMax bounds the reporter's optional note.
const ReportNoteMax = 500

// AuditResolveReport is the audit action of a report's resolution; the
// deletion or suspension it decided is audited as well, under its own
// action, in the transaction of that change.
const AuditResolveReport = "report.resolve"

// NotifyReport tells a reporter that their report was resolved.
const NotifyReport = "report"

// Snapshot is what a report keeps of its target when it is filed, so that
// it outlives the target: the author, the text (caption, comment, or the
// account's bio) and the photo key (post, story, or avatar). The photo
// itself goes with the content: the blob store drops it when the content
// is deleted, so PhotoKey then names an object that is gone.
type Snapshot struct {
	AuthorID       string
	AuthorUsername string
	Text           string
	PhotoKey       string
	PostID         string    // a comment's post
	CreatedAt      time.Time // when the content was made
}

// Report is one user's report of a post, comment, story or account.
type Report struct {
	ID         string
	ReporterID string
	TargetType string // one of ReportTypes
	TargetID   string
	Reason     string // one of ReportReasons
	Note       string // the reporter's words, optional
	State      string // ReportOpen or ReportResolved
	Snapshot   Snapshot
	CreatedAt  time.Time
	// Set on resolution.
	ResolvedAt time.Time
	ResolvedBy string // the staff user's id
	Action     string // one of the Report* actions
	Resolution string // the staff user's reason
}

// ReportResolution is how staff resolved a report.
type ReportResolution struct {
	ResolvedAt time.Time
	ResolvedBy string
	Action     string
	Resolution string
}

// Reports persists reports.
type Reports interface {
	// CreateReport inserts r. Returns ErrConflict if r's reporter has an
	// open report on the same target.
	CreateReport(ctx context.Context, r *Report) error
	// ReportByID returns ErrNotFound.
	ReportByID(ctx context.Context, id string) (*Report, error)
	// ReportsByState returns a page of the reports in state (every state
	// when it is ""), newest first: the cursor is the last report of the
	// previous page.
	ReportsByState(ctx context.Context, state string, page Page) ([]*Report, error)
	// ReportsByReporter returns a page of the reports reporterID filed,
	// newest first.
	ReportsByReporter(ctx context.Context, reporterID string, page Page) ([]*Report, error)
	// ResolveReport resolves the open report id with res, appends e to
	// the audit log and stores n (when not nil and its recipient still
	// exists), in one transaction, and returns the resolved report.
	// Returns ErrNotFound if there is no such report, and ErrConflict if
	// it is not open.
	ResolveReport(ctx context.Context, id string, res ReportResolution, e *AuditEntry, n *Notification) (*Report, error)
}

var errReportResolved = Errorf(ECONFLICT, "That report is already resolved.")

const msgReportNotFound = "Report not found."

// FileReport files u's report of the target, keeping a snapshot of it.
// A user reports neither their own content nor themselves, and has one
// open report per target.
func (s *Service) FileReport(ctx context.Context, u *User, targetType, targetID, reason, note string) (*Report, error) {
	note = CleanText(note)
	switch {
	case !slices.Contains(ReportTypes, targetType):
		return nil, Errorf(EINVALID, "You can report a post, a comment, a story or a user.")
	case !slices.Contains(ReportReasons, reason):
		return nil, Errorf(EINVALID, "Please pick a reason for the report.")
	case utf8.RuneCountInString(note) > ReportNoteMax:
		return nil, Errorf(EINVALID, "The note cannot be longer than %d characters.", ReportNoteMax)
	}
	snap, err := s.snapshot(ctx, u, targetType, targetID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	r := &Report{ID: NewID(now), ReporterID: u.ID, TargetType: targetType, TargetID: targetID, Reason: reason,
		Note: note, State: ReportOpen, Snapshot: snap, CreatedAt: now}
	err = s.store.CreateReport(ctx, r)
	return r, storeErr(err, msgReportNotFound, "You have already reported this. A moderator will look at it.")
}

// snapshot reads what u's report keeps of its target, which u must be
// allowed to report (Relation.CanReport); what u may not see is not found.
func (s *Service) snapshot(ctx context.Context, u *User, targetType, id string) (Snapshot, error) {
	notFound := Errorf(ENOTFOUND, "There is no such %s to report.", targetType)
	if !ValidID(id) {
		return Snapshot{}, notFound
	}
	var (
		snap Snapshot
		err  error
	)
	switch targetType {
	case ReportPost:
		var p *Post
		if p, err = s.store.PostByID(ctx, id); err == nil {
			snap = Snapshot{AuthorID: p.AuthorID, Text: p.Caption, PhotoKey: p.PhotoKey, CreatedAt: p.CreatedAt}
		}
	case ReportComment:
		var c *Comment
		if c, err = s.store.CommentByID(ctx, id); err == nil {
			snap = Snapshot{AuthorID: c.AuthorID, Text: c.Text, PostID: c.PostID, CreatedAt: c.CreatedAt}
		}
	case ReportStory:
		var st *Story
		if st, err = s.store.StoryByID(ctx, id); err == nil {
			snap = Snapshot{AuthorID: st.UserID, PhotoKey: st.PhotoKey, CreatedAt: st.CreatedAt}
		}
	case ReportUser:
		snap.AuthorID = id
	}
	if err != nil {
		return Snapshot{}, storeErr(err, notFound.Message, msgReportNotFound)
	}
	author, err := s.store.UserByID(ctx, snap.AuthorID)
	if err != nil {
		return Snapshot{}, storeErr(err, notFound.Message, msgUserExists)
	}
	if author.ID == u.ID {
		return Snapshot{}, Errorf(EINVALID, "You cannot report yourself or your own %s.", targetType)
	}
	rel, err := s.Relation(ctx, u, author)
	if err != nil {
		return Snapshot{}, err
	}
	if !rel.CanReport(targetType != ReportUser) {
		return Snapshot{}, notFound
	}
	snap.AuthorUsername = author.Username
	if targetType == ReportUser {
		snap.Text, snap.PhotoKey, snap.CreatedAt = author.Bio, author.PhotoKey, author.CreatedAt
	}
	return snap, nil
}

// ReportPage is one page of reports.
type ReportPage struct {
	Reports []*Report
	Next    Page
}

func (s *Service) reportPage(rs []*Report, page Page) *ReportPage {
	return &ReportPage{Reports: rs, Next: nextPage(rs, page, func(r *Report) (time.Time, string) { return r.CreatedAt, r.ID })}
}

// MyReports returns a page of the reports u filed, newest first.
func (s *Service) MyReports(ctx context.Context, u *User, page Page) (*ReportPage, error) {
	page = s.clampPage(page, s.cfg.FeedLimit)
	rs, err := s.store.ReportsByReporter(ctx, u.ID, page)
	if err != nil {
		return nil, err
	}
	return s.reportPage(rs, page), nil
}

// ReportQueue returns a page of the reports in state (open, resolved, or
// every state for ""), newest first; staff only.
func (s *Service) ReportQueue(ctx context.Context, actor *User, state string, page Page) (*ReportPage, error) {
	if !actor.IsStaff() {
		return nil, errNotStaff
	}
	if state != "" && state != ReportOpen && state != ReportResolved {
		return nil, Errorf(EINVALID, "The state must be open or resolved.")
	}
	page = s.clampPage(page, s.cfg.FeedLimit)
	rs, err := s.store.ReportsByState(ctx, state, page)
	if err != nil {
		return nil, err
	}
	return s.reportPage(rs, page), nil
}

// ReportByID returns one report; staff only.
func (s *Service) ReportByID(ctx context.Context, actor *User, id string) (*Report, error) {
	if !actor.IsStaff() {
		return nil, errNotStaff
	}
	if !ValidID(id) {
		return nil, errBadID
	}
	r, err := s.store.ReportByID(ctx, id)
	return r, storeErr(err, msgReportNotFound, msgReportNotFound)
}

// ResolveReport resolves an open report with an action and a reason;
// staff only. Delete removes the reported post, comment or story, and
// suspend suspends its author, each through the staff path that audits
// it in the transaction of the change; content already gone or an author
// already suspended still lets the report resolve. The resolution is
// audited too, and the reporter notified, in the transaction that closes
// the report.
func (s *Service) ResolveReport(ctx context.Context, actor *User, id, action, reason string) (*Report, error) {
	r, err := s.ReportByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if reason, err = cleanReason(reason); err != nil {
		return nil, err
	}
	if r.State != ReportOpen {
		return nil, errReportResolved
	}
	if err := s.applyReportAction(ctx, actor, r, action, reason); err != nil {
		return nil, err
	}
	now := s.now()
	e := s.audit(actor, AuditResolveReport, "report", r.ID, action+" "+r.TargetType+" "+r.TargetID, reason)
	n := &Notification{ID: NewID(now), RecipientID: r.ReporterID, ActorID: r.ReporterID, Kind: NotifyReport, CreatedAt: now}
	res := ReportResolution{ResolvedAt: now, ResolvedBy: actor.ID, Action: action, Resolution: reason}
	out, err := s.store.ResolveReport(ctx, r.ID, res, e, n)
	return out, storeErr(err, msgReportNotFound, errReportResolved.Message)
}

// applyReportAction carries out what resolving r with action decides.
// Content or an account that is gone already, and an account suspended
// already, let the report resolve: the action's end holds.
func (s *Service) applyReportAction(ctx context.Context, actor *User, r *Report, action, reason string) error {
	var err error
	switch action {
	case ReportDismiss:
		return nil
	case ReportSuspend:
		_, err = s.Suspend(ctx, actor, r.Snapshot.AuthorID, reason)
	case ReportDelete:
		switch r.TargetType {
		case ReportPost:
			err = s.deletePost(ctx, actor, r.TargetID, reason)
		case ReportComment:
			err = s.deleteComment(ctx, actor, r.TargetID, reason)
		case ReportStory:
			err = s.deleteStory(ctx, actor, r.TargetID, reason)
		default:
			return Errorf(EINVALID, "An account cannot be deleted through a report: suspend it instead.")
		}
	default:
		return Errorf(EINVALID, "The action must be dismiss, delete or suspend.")
	}
	if code := ErrorCode(err); code == ENOTFOUND || (action == ReportSuspend && code == ECONFLICT) {
		return nil
	}
	return err
}
