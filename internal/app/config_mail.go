package app

import (
	"errors"
	"strconv"
	"time"

	"github.com/instamern/gram/internal/mail"
)

func init() {
	register(Group{Name: "Mail", Rank: 50, Settings: []Setting{
		{Name: "MAIL_URL", Default: "log:${DATA_DIR}/outbox",
			Meaning: "log:DIR (written to a folder, not sent), smtp://user:pass@host:587, smtps://...:465, or ses:REGION",
			Parse:   func(c *Config, v string) error { c.MailURL = v; return mail.CheckURL(v) }},
		{Name: "MAIL_FROM", Default: "InstaMERN <no-reply@localhost>", Meaning: "sender of every email",
			Parse: func(c *Config, v string) error { c.MailFrom = v; return mail.CheckFrom(v) }},
		{Name: "SES_ENDPOINT", Meaning: "SES API endpoint override (emulators)",
			Parse: func(c *Config, v string) error { c.SESEndpoint = v; return optionalHTTPURL(v) }},
		{Name: "SES_SNS_TOPIC_ARN", Meaning: "enables POST /instamern/webhooks/ses for SES bounce/complaint notifications from this SNS topic only",
			Parse: func(c *Config, v string) error { c.SNSTopicARN = v; return nil }},
		{Name: "MAIL_RETRY_MIN", Default: "30s", Meaning: "wait after a failed delivery, doubled per attempt (jittered) up to an hour",
			Parse: func(c *Config, v string) (err error) { c.MailRetryMin, err = parseDuration(v); return err }},
		{Name: "MAIL_WORKERS", Default: strconv.Itoa(mail.DefaultWorkers), Meaning: "outbox messages sent at once",
			Parse: func(c *Config, v string) (err error) { c.MailWorkers, err = positiveInt(v); return err }},
		{Name: "MAIL_LEASE", Default: mail.DefaultLease.String(), Parse: parseMailLease,
			Meaning: "how long a sender's claim on a message holds unrenewed (at least 1s): a message claimed by a process that died is retried within one lease"},
		{Name: "MAIL_MAX_ATTEMPTS", Default: "8", Meaning: "delivery attempts before a message is given up",
			Parse: func(c *Config, v string) (err error) { c.MailAttempts, err = positiveInt(v); return err }},
		{Name: "MAIL_CHECK_DOMAIN", DefaultDoc: "off (on in production)", Parse: parseCheckDomain,
			Meaning: "at signup and change-email, refuse an address whose domain has neither MX nor A/AAAA records"},
	}})
}

func parseMailLease(c *Config, v string) (err error) {
	c.MailLease, err = parseDuration(v)
	if err == nil && c.MailLease < time.Second {
		err = errors.New("must be at least 1s")
	}
	return err
}

func parseCheckDomain(c *Config, v string) (err error) {
	if v == "" {
		c.CheckDomain = c.Production()
		return nil
	}
	c.CheckDomain, err = parseOnOff(v)
	return err
}
