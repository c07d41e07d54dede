// Package mail renders and delivers the emails of gram: embedded templates
// (Templates, a gram.MailRenderer), a MIME builder (Build), transports that
// implement gram.Mailer (Log, SMTP, SES, Recorder, chosen by Open from a
// MAIL_URL), and the outbox Sender that drains a gram.OutboxStore.
package mail
