package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/instamern/gram/internal/gram"
)

const reportColumns = `id, reporter_id, target_type, target_id, reason, note, state, author_id, author_username,
	content_text, photo_key, post_id, content_at, created_at, resolved_at, resolved_by, action, resolution`

func scanReport(r scanner) (*gram.Report, error) {
	var (
		rp                      gram.Report
		contentAt, at, resolved int64
	)
	sn := &rp.Snapshot
	if err := r.Scan(&rp.ID, &rp.ReporterID, &rp.TargetType, &rp.TargetID, &rp.Reason, &rp.Note, &rp.State,
		&sn.AuthorID, &sn.AuthorUsername, &sn.Text, &sn.PhotoKey, &sn.PostID, &contentAt, &at, &resolved,
		&rp.ResolvedBy, &rp.Action, &rp.Resolution); err != nil {
		return nil, err
	}
	sn.CreatedAt, rp.CreatedAt, rp.ResolvedAt = fromMS(contentAt), fromMS(at), fromMS(resolved)
	return &rp, nil
}

func (s *Store) CreateReport(ctx context.Context, r *gram.Report) error {
	sn := r.Snapshot
	_, err := s.exec(ctx, `INSERT INTO reports (`+reportColumns+`) VALUES (`+placeholders(18)+`)`,
		r.ID, r.ReporterID, r.TargetType, r.TargetID, r.Reason, r.Note, r.State, sn.AuthorID, sn.AuthorUsername,
		sn.Text, sn.PhotoKey, sn.PostID, ms(sn.CreatedAt), ms(r.CreatedAt), ms(r.ResolvedAt), r.ResolvedBy, r.Action, r.Resolution)
	return s.wrap("create report", err)
}

const qReportByID = `SELECT ` + reportColumns + ` FROM reports WHERE id = ?`

func (s *Store) ReportByID(ctx context.Context, id string) (*gram.Report, error) {
	r, err := scanReport(s.queryRow(ctx, qReportByID, id))
	return r, s.wrap("report by id", err)
}

// reportsQuery walks the (state, created_at, id), (reporter_id,
// created_at, id) or (created_at, id) index backwards: where is "" or
// "state = ?" or "reporter_id = ?".
func reportsQuery(where string, cursor bool) string {
	var conds []string
	if where != "" {
		conds = append(conds, where)
	}
	if cursor {
		conds = append(conds, `(created_at, id) < (?, ?)`)
	}
	q := `SELECT ` + reportColumns + ` FROM reports`
	for i, c := range conds {
		if i == 0 {
			q += ` WHERE ` + c
		} else {
			q += ` AND ` + c
		}
	}
	return q + ` ORDER BY created_at DESC, id DESC LIMIT ?`
}

func (s *Store) ReportsByState(ctx context.Context, state string, page gram.Page) ([]*gram.Report, error) {
	q, args := reportsQuery("", page.HasCursor()), pageArgs(page)
	if state != "" {
		q, args = reportsQuery("state = ?", page.HasCursor()), pageArgs(page, state)
	}
	out, err := queryAll(ctx, s, scanReport, q, args...)
	return out, s.wrap("reports by state", err)
}

func (s *Store) ReportsByReporter(ctx context.Context, reporterID string, page gram.Page) ([]*gram.Report, error) {
	out, err := queryAll(ctx, s, scanReport, reportsQuery("reporter_id = ?", page.HasCursor()), pageArgs(page, reporterID)...)
	return out, s.wrap("reports by reporter", err)
}

// qResolveReport closes an open report and returns it.
const qResolveReport = `UPDATE reports SET state = ?, resolved_at = ?, resolved_by = ?, action = ?, resolution = ?
	WHERE id = ? AND state = ? RETURNING ` + reportColumns

func (s *Store) ResolveReport(ctx context.Context, id string, res gram.ReportResolution, e *gram.AuditEntry, n *gram.Notification) (*gram.Report, error) {
	var out *gram.Report
	err := s.inTx(ctx, func(t tx) error {
		var err error
		out, err = scanReport(t.queryRow(ctx, qResolveReport, gram.ReportResolved, ms(res.ResolvedAt), res.ResolvedBy,
			res.Action, res.Resolution, id, gram.ReportOpen))
		if errors.Is(err, sql.ErrNoRows) {
			var state string
			if err := t.queryRow(ctx, `SELECT state FROM reports WHERE id = ?`, id).Scan(&state); err != nil {
				return err
			}
			return gram.ErrConflict
		}
		if err != nil {
			return err
		}
		if err := insertAudit(ctx, t, e); err != nil {
			return err
		}
		if n == nil {
			return nil
		}
		var one int
		switch err := t.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, n.RecipientID).Scan(&one); {
		case errors.Is(err, sql.ErrNoRows):
			return nil // the reporter's account is gone
		case err != nil:
			return err
		}
		return insertNotification(ctx, t, n)
	})
	return out, s.wrap("resolve report", err)
}
