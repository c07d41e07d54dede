package api

import (
	"context"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// Reports: users file them under /instamern/reports; staff work the queue
// under /instamern/admin/reports. Who may do what is the domain's.

// reportView is a report as its reporter sees it; staff see a
// staffReportView, which adds the reporter, the snapshot and who resolved
// it and why.
type reportView struct {
	ID         string `json:"_id"`
	Type       string `json:"type"`
	TargetID   string `json:"targetId"`
	Reason     string `json:"reason"`
	Note       string `json:"note,omitempty"`
	State      string `json:"state"`
	Action     string `json:"action,omitempty"`
	CreatedAt  string `json:"createdAt"`
	ResolvedAt string `json:"resolvedAt,omitempty"`
}

type staffReportView struct {
	reportView
	Reporter   string       `json:"reporter"`
	Snapshot   snapshotView `json:"snapshot"`
	ResolvedBy string       `json:"resolvedBy,omitempty"`
	Resolution string       `json:"resolution,omitempty"`
}

// snapshotView is what the report kept of its target. photo is the URL of
// photoKey, which no longer loads once the content is deleted.
type snapshotView struct {
	Author         string `json:"author"`
	AuthorUsername string `json:"authorUsername"`
	Text           string `json:"text"`
	Photo          string `json:"photo,omitempty"`
	PhotoKey       string `json:"photoKey,omitempty"`
	Post           string `json:"post,omitempty"`
	CreatedAt      string `json:"createdAt,omitempty"`
}

func newReportView(r *gram.Report) reportView {
	v := reportView{ID: r.ID, Type: r.TargetType, TargetID: r.TargetID, Reason: r.Reason, Note: r.Note,
		State: r.State, Action: r.Action, CreatedAt: isoTime(r.CreatedAt)}
	if !r.ResolvedAt.IsZero() {
		v.ResolvedAt = isoTime(r.ResolvedAt)
	}
	return v
}

func (s *Server) staffReportView(ctx context.Context, r *gram.Report) staffReportView {
	sn := r.Snapshot
	v := staffReportView{reportView: newReportView(r), Reporter: r.ReporterID, ResolvedBy: r.ResolvedBy, Resolution: r.Resolution,
		Snapshot: snapshotView{Author: sn.AuthorID, AuthorUsername: sn.AuthorUsername, Text: sn.Text,
			Photo: s.mediaURL(ctx, sn.PhotoKey), PhotoKey: sn.PhotoKey, Post: sn.PostID}}
	if !sn.CreatedAt.IsZero() {
		v.Snapshot.CreatedAt = isoTime(sn.CreatedAt)
	}
	return v
}

// handleFileReport files the user's report: {type, id, reason, note?}.
func (s *Server) handleFileReport(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Type   string `json:"type"`
		ID     string `json:"id"`
		Reason string `json:"reason"`
		Note   string `json:"note"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	rep, err := s.svc.FileReport(r.Context(), currentUser(r.Context()), in.Type, in.ID, in.Reason, in.Note)
	if err != nil {
		return err
	}
	return ok(w, http.StatusCreated, envelope{Message: "Thank you. A moderator will look at your report.",
		Data: map[string]any{"report": newReportView(rep)}})
}

// handleMyReports lists the reports the user filed, newest first, with
// their outcome.
func (s *Server) handleMyReports(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	res, err := s.svc.MyReports(r.Context(), currentUser(r.Context()), page)
	if err != nil {
		return err
	}
	out := make([]reportView, 0, len(res.Reports))
	for _, rep := range res.Reports {
		out = append(out, newReportView(rep))
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(out)), Next: nextCursor(res.Next), Data: map[string]any{"reports": out}})
}

// handleReportQueue is the staff queue: ?state=open (the default),
// resolved or all; paged newest first.
func (s *Server) handleReportQueue(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParams(r)
	if err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	switch state {
	case "":
		state = gram.ReportOpen
	case "all":
		state = ""
	}
	res, err := s.svc.ReportQueue(r.Context(), currentUser(r.Context()), state, page)
	if err != nil {
		return err
	}
	out := make([]staffReportView, 0, len(res.Reports))
	for _, rep := range res.Reports {
		out = append(out, s.staffReportView(r.Context(), rep))
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(out)), Next: nextCursor(res.Next), Data: map[string]any{"reports": out}})
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.svc.ReportByID(r.Context(), currentUser(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"report": s.staffReportView(r.Context(), rep)}})
}

// handleResolveReport resolves a report: {action, reason}.
func (s *Server) handleResolveReport(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Action string `json:"action"`
		Reason string `json:"reason"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	rep, err := s.svc.ResolveReport(r.Context(), currentUser(r.Context()), r.PathValue("id"), in.Action, in.Reason)
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "The report has been resolved.",
		Data: map[string]any{"report": s.staffReportView(r.Context(), rep)}})
}
