package gram

import "time"

// Notification kinds, with the text the client renders after the username.
const (
	NotifyFollow  = "follow"
	NotifyLike    = "like"
	NotifyComment = "comment"
)

// NotificationText returns the legacy text for a kind.
func NotificationText(kind string) string {
	switch kind {
	case NotifyFollow:
		return "followed you."
	case NotifyLike:
		return "liked your photo."
	case NotifyComment:
		return "commented your photo."
	}
	return ""
}

// Notification tells RecipientID that ActorID did something. Follow and
// like notifications are unique per (recipient, actor, kind, post), so a
// re-like or re-follow does not notify twice; comments always notify.
type Notification struct {
	ID          string
	RecipientID string
	ActorID     string
	Kind        string
	PostID      string // "" for follows
	CreatedAt   time.Time
	// Seen is set for an imported notification the original no longer
	// showed as new; the API shows "new" as its opposite.
	Seen bool
}
