package gram

import (
	"context"
	"time"
)

// Message is one rendered email. The service renders it (subject, HTML and
// plain-text alternatives from embedded templates); transports only deliver.
type Message struct {
	ID      string // outbox id; also used to build the Message-ID header
	To      string // one recipient address
	Subject string
	HTML    string
	Text    string
}

// Mailer delivers one message. Implementations: mail.Log (development
// default: log + .eml file in an outbox folder), mail.SMTP, mail.SES,
// mail.Recorder (tests). Send must be safe for concurrent use and must
// honour ctx for timeouts. A returned error means "not delivered; retry".
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Email kinds the service sends.
const (
	MailWelcome         = "welcome"          // after signup
	MailPasswordReset   = "password_reset"   // forgot-password link
	MailPasswordChanged = "password_changed" // notice after change or reset
	MailEmailConfirm    = "email_confirm"    // to the new address, with a link
	MailEmailChanging   = "email_changing"   // notice to the old address when a change is asked for
	MailEmailChanged    = "email_changed"    // notice to the old address once the change is confirmed
)

// MailData is what the templates may use.
type MailData struct {
	Firstname string
	Username  string
	Link      string // the action link (reset, confirm) or the client URL
	NewEmail  string // for the email-change mails
	// Expires is how long Link works, as the service enforces it (reset
	// and confirmation links); zero for links that do not expire.
	Expires time.Duration
}

// MailRenderer renders an email of one kind for one recipient.
// Returns an error for an unknown kind.
type MailRenderer interface {
	Render(kind, to string, data MailData) (Message, error)
}

// OutboxMail is a message waiting in (or done with) the durable outbox.
type OutboxMail struct {
	Message
	Attempts      int
	CreatedAt     time.Time
	NextAttemptAt time.Time
	SentAt        time.Time // zero until delivered
	LastError     string
	Failed        bool // gave up after the maximum number of attempts
	// ClaimToken identifies the latest claim (set by ClaimMail): only its
	// holder may record the outcome.
	ClaimToken string
}

// Suppression reasons: why an address no longer gets mail.
const (
	SuppressBounce    = "bounce"    // a permanent bounce
	SuppressComplaint = "complaint" // the recipient marked our mail as spam
)

// OutboxStore persists outgoing mail so that none is lost across restarts.
// Messages are usually enqueued by other store methods in the same
// transaction as the state change they announce (signup, reset token).
type OutboxStore interface {
	// EnqueueMail adds a message, due at m.NextAttemptAt.
	EnqueueMail(ctx context.Context, m OutboxMail) error
	// ClaimMail returns up to limit unsent, not-failed messages that are due
	// at now, and leases them until now+lease (their NextAttemptAt moves
	// there, Attempts grows by one and ClaimToken gets a fresh value) so
	// that no other sender (in this or another replica) claims them
	// meanwhile.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxMail, error)
	// MarkMailSent records delivery by the holder of claim (the message's
	// ClaimToken). Returns ErrNotFound for an unknown id, and ErrConflict
	// when the message has been claimed again since (the lease ran out).
	MarkMailSent(ctx context.Context, id, claim string, at time.Time) error
	// MarkMailFailed records a failed attempt by the holder of claim: the
	// message is retried at retryAt, or given up for good when giveUp is
	// set. Returns ErrNotFound or ErrConflict as MarkMailSent does.
	MarkMailFailed(ctx context.Context, id, claim, lastError string, retryAt time.Time, giveUp bool) error
	// RenewMailLease extends the lease of a pending message to until, for
	// the holder of claim while its send is in progress: a sender renews
	// short leases instead of taking a long one, so that the claim of a
	// sender that died runs out soon. Returns ErrNotFound for an unknown
	// id, and ErrConflict when claim is no longer the latest claim or the
	// message is no longer pending (sent or given up).
	RenewMailLease(ctx context.Context, id, claim string, until time.Time) error
	// SuppressMail records that email (lowercased) must get no more mail,
	// and why (SuppressBounce, SuppressComplaint). Suppressing an address
	// again keeps the first record.
	SuppressMail(ctx context.Context, email, reason string, at time.Time) error
	// MailSuppressed reports whether email (lowercased) is suppressed.
	MailSuppressed(ctx context.Context, email string) (bool, error)
}

// outboxMail renders a mail of kind for u, ready to go into the outbox
// with the state change it announces.
func (s *Service) outboxMail(kind string, u *User, data MailData) (*OutboxMail, error) {
	return s.outboxMailTo(kind, u.Email, u, data)
}

// outboxMailTo is outboxMail for another address of u: the new or the
// old one of an email change.
func (s *Service) outboxMailTo(kind, to string, u *User, data MailData) (*OutboxMail, error) {
	data.Firstname, data.Username = u.Firstname, u.Username
	m, err := s.mail.Render(kind, to, data)
	if err != nil {
		return nil, err
	}
	now := s.now()
	m.ID = NewID(now)
	return &OutboxMail{Message: m, CreatedAt: now, NextAttemptAt: now}, nil
}

// notice queues an informational mail; failure to queue is logged, not
// returned, because the change it reports has already happened.
func (s *Service) notice(ctx context.Context, kind, to string, u *User, data MailData) {
	m, err := s.outboxMailTo(kind, to, u, data)
	if err == nil {
		err = s.store.EnqueueMail(ctx, *m)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "queue notice mail", "kind", kind, "err", err)
		return
	}
	s.mailQueued()
}

// SuppressMail stops all mail to addrs (already normalised), for reason
// (SuppressBounce, SuppressComplaint): queued and future messages to them
// are given up unsent by the outbox sender.
func (s *Service) SuppressMail(ctx context.Context, reason string, addrs []string) error {
	for _, a := range addrs {
		if err := s.store.SuppressMail(ctx, a, reason, s.now()); err != nil {
			return err
		}
	}
	if len(addrs) > 0 {
		s.log.InfoContext(ctx, "mail: addresses suppressed", "reason", reason, "count", len(addrs))
	}
	return nil
}
