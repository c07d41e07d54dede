// Package sesfeedback reads the SES notifications that SNS delivers (see
// package sns for checking the delivery): which recipients bounced for
// good or complained, and so must not be mailed again.
package sesfeedback

import (
	"cmp"
	"encoding/json"
	"errors"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// Feedback is what an SES notification says about recipients we must
// stop mailing.
type Feedback struct {
	Reason    string   // gram.SuppressBounce or gram.SuppressComplaint; "" means nothing to do
	Addresses []string // the recipients concerned
}

// maxFeedbackRecipients bounds the addresses taken from one notification
// (SES sends at most 50 recipients per message).
const maxFeedbackRecipients = 50

// Parse reads the Message of an SES notification, in the
// feedback-notification form ("notificationType") or the event-publishing
// form ("eventType"). Permanent bounces and complaints give addresses to
// suppress; transient bounces, deliveries and other events give none.
func Parse(message string) (Feedback, error) {
	var n struct {
		NotificationType string `json:"notificationType"`
		EventType        string `json:"eventType"`
		Bounce           struct {
			BounceType        string `json:"bounceType"`
			BouncedRecipients []struct {
				EmailAddress string `json:"emailAddress"`
			} `json:"bouncedRecipients"`
		} `json:"bounce"`
		Complaint struct {
			ComplainedRecipients []struct {
				EmailAddress string `json:"emailAddress"`
			} `json:"complainedRecipients"`
		} `json:"complaint"`
	}
	if err := json.Unmarshal([]byte(message), &n); err != nil {
		return Feedback{}, errors.New("sesfeedback: the SES notification is not JSON")
	}
	var f Feedback
	switch cmp.Or(n.NotificationType, n.EventType) {
	case "Bounce":
		if n.Bounce.BounceType != "Permanent" {
			return f, nil
		}
		f.Reason = gram.SuppressBounce
		for _, r := range n.Bounce.BouncedRecipients {
			f.Addresses = append(f.Addresses, r.EmailAddress)
		}
	case "Complaint":
		f.Reason = gram.SuppressComplaint
		for _, r := range n.Complaint.ComplainedRecipients {
			f.Addresses = append(f.Addresses, r.EmailAddress)
		}
	}
	f.Addresses = cleanAddresses(f.Addresses)
	return f, nil
}

// cleanAddresses keeps up to maxFeedbackRecipients plain addresses,
// lowercased; SES may give "Name <addr>".
func cleanAddresses(in []string) []string {
	var out []string
	for _, a := range in {
		if len(out) == maxFeedbackRecipients {
			break
		}
		if i := strings.LastIndexByte(a, '<'); i >= 0 {
			a = strings.TrimSuffix(a[i+1:], ">")
		}
		if a, ok := gram.NormalizeEmail(a); ok {
			out = append(out, a)
		}
	}
	return out
}
