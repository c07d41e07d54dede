package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/instamern/gram/internal/mail"
	"github.com/instamern/gram/internal/sns"
)

// SNSVerifier checks and confirms SNS deliveries; *sns.Verifier is one.
type SNSVerifier interface {
	Verify(ctx context.Context, m *sns.Message) error
	ConfirmSubscription(ctx context.Context, m *sns.Message) error
}

// handleSESWebhook receives SES bounce and complaint notifications through
// SNS (POST /instamern/webhooks/ses). Only messages of the configured topic
// with a valid signature count; permanent bounces and complaints suppress
// their recipients. SNS sends the JSON as text/plain, so the body is read
// here rather than through decode.
func (s *Server) handleSESWebhook(w http.ResponseWriter, r *http.Request) error {
	limitBody(w, r, 256<<10)
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "The message is too large.")
		return nil
	}
	var m sns.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		fail(w, http.StatusBadRequest, "The body is not an SNS message.")
		return nil
	}
	switch {
	case m.TopicArn != s.cfg.SNSTopicARN:
		fail(w, http.StatusForbidden, "Unknown topic.")
		return nil
	case m.Type != sns.TypeNotification && m.Type != sns.TypeSubscriptionConfirmation && m.Type != sns.TypeUnsubscribeConfirmation:
		fail(w, http.StatusBadRequest, "Unknown message type.")
		return nil
	}
	if err := s.cfg.SNS.Verify(r.Context(), &m); err != nil {
		s.log.WarnContext(r.Context(), "ses webhook: refused", "err", err, "request_id", requestID(r.Context()))
		if errors.Is(err, sns.ErrInvalid) {
			fail(w, http.StatusForbidden, "The message signature is not valid.")
			return nil
		}
		fail(w, http.StatusServiceUnavailable, "The signing certificate could not be fetched. Please retry.")
		return nil
	}
	switch m.Type {
	case sns.TypeSubscriptionConfirmation:
		if err := s.cfg.SNS.ConfirmSubscription(r.Context(), &m); err != nil {
			s.log.WarnContext(r.Context(), "ses webhook: subscription not confirmed", "err", err)
			if errors.Is(err, sns.ErrInvalid) {
				fail(w, http.StatusForbidden, "The subscription URL is not an SNS URL.")
				return nil
			}
			fail(w, http.StatusBadGateway, "The subscription could not be confirmed.")
			return nil
		}
		s.log.InfoContext(r.Context(), "ses webhook: subscription confirmed", "topic", m.TopicArn)
	case sns.TypeNotification:
		f, err := mail.ParseSESNotification(m.Message)
		if err != nil {
			fail(w, http.StatusBadRequest, "The notification is not an SES notification.")
			return nil
		}
		if err := s.svc.SuppressMail(r.Context(), f.Reason, f.Addresses); err != nil {
			return err
		}
	}
	return ok(w, http.StatusOK, envelope{Message: "ok"})
}
