package gram

import (
	"context"
	"time"
	"unicode/utf8"
)

// AuditEntry records one staff action: who did what to which thing, when
// and why. Entries are written in the same transaction as the change.
type AuditEntry struct {
	ID         string
	ActorID    string // a user id, or ActorCLI
	Action     string // one of the Audit* actions
	TargetType string // "user", "post", "comment" or "story"
	TargetID   string
	Detail     string // e.g. "user -> admin" for a role change
	Reason     string
	CreatedAt  time.Time
}

// ActorCLI is the actor of actions taken with the gramd command line.
const ActorCLI = "cli"

// Audited actions.
const (
	AuditSuspend       = "user.suspend"
	AuditUnsuspend     = "user.unsuspend"
	AuditRole          = "user.role"
	AuditDeletePost    = "post.delete"
	AuditDeleteComment = "comment.delete"
	AuditDeleteStory   = "story.delete"
)

// ReasonMax bounds the reason of a staff action.
const ReasonMax = 500

// AuditLog persists the audit log.
type AuditLog interface {
	// AuditEntries returns a page of the log, newest first: the cursor is
	// the last entry of the previous page.
	AuditEntries(ctx context.Context, page Page) ([]*AuditEntry, error)
}

// cleanReason validates the reason every staff action must give.
func cleanReason(reason string) (string, error) {
	reason = CleanText(reason)
	switch {
	case reason == "":
		return "", Errorf(EINVALID, "Please give a reason for this action.")
	case utf8.RuneCountInString(reason) > ReasonMax:
		return "", Errorf(EINVALID, "The reason cannot be longer than %d characters.", ReasonMax)
	}
	return reason, nil
}

// audit builds the entry for an action of actor on a target.
func (s *Service) audit(actor *User, action, targetType, targetID, detail, reason string) *AuditEntry {
	now := s.now()
	return &AuditEntry{ID: NewID(now), ActorID: actor.ID, Action: action, TargetType: targetType,
		TargetID: targetID, Detail: detail, Reason: reason, CreatedAt: now}
}

// AuditPage is one page of the audit log; Next continues after it (no
// cursor when the page was not full).
type AuditPage struct {
	Entries []*AuditEntry
	Next    Page
}

// AuditEntries returns a page of the audit log, newest first; admins only.
func (s *Service) AuditEntries(ctx context.Context, actor *User, page Page) (*AuditPage, error) {
	if !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "Only admins can read the audit log.")
	}
	page = s.clampPage(page, s.cfg.FeedLimit)
	es, err := s.store.AuditEntries(ctx, page)
	if err != nil {
		return nil, err
	}
	next := nextPage(es, page, func(e *AuditEntry) (time.Time, string) { return e.CreatedAt, e.ID })
	return &AuditPage{Entries: es, Next: next}, nil
}
