package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

const auditColumns = `id, actor_id, action, target_type, target_id, detail, reason, created_at`

// insertAudit appends e (when not nil) to the audit log through q: the
// transaction of the change it records, so that the entry commits or
// rolls back with it.
func insertAudit(ctx context.Context, q querier, e *gram.AuditEntry) error {
	if e == nil {
		return nil
	}
	_, err := q.exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (`+placeholders(8)+`)`,
		e.ID, e.ActorID, e.Action, e.TargetType, e.TargetID, e.Detail, e.Reason, ms(e.CreatedAt))
	return err
}

// auditQuery walks the (created_at, id) index backwards.
func auditQuery(cursor bool) string {
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if cursor {
		q += ` WHERE (created_at, id) < (?, ?)`
	}
	return q + ` ORDER BY created_at DESC, id DESC LIMIT ?`
}

func (s *Store) AuditEntries(ctx context.Context, page gram.Page) ([]*gram.AuditEntry, error) {
	out, err := queryAll(ctx, s, scanAudit, auditQuery(page.HasCursor()), pageArgs(page)...)
	return out, s.wrap("audit entries", err)
}

func scanAudit(r scanner) (*gram.AuditEntry, error) {
	var (
		e  gram.AuditEntry
		at int64
	)
	if err := r.Scan(&e.ID, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.Detail, &e.Reason, &at); err != nil {
		return nil, err
	}
	e.CreatedAt = fromMS(at)
	return &e, nil
}
