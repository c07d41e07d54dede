package gram

import "context"

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
