package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sns"
	"github.com/instamern/gram/internal/sns/sesfeedback"
)

// SNSVerifier checks and confirms SNS deliveries; *sns.Verifier is one.
type SNSVerifier interface {
	Verify(ctx context.Context, m *sns.Message) error
	ConfirmSubscription(ctx context.Context, m *sns.Message) error
}

// handleSESWebhook receives SES bounce and complaint notifications through
// SNS (POST /instamern/webhooks/ses): permanent bounces and complaints
// suppress their recipients.
func (s *Server) handleSESWebhook(w http.ResponseWriter, r *http.Request) error {
	m, err := s.snsMessage(w, r)
	if err != nil {
		return err
	}
	switch m.Type {
	case sns.TypeSubscriptionConfirmation:
		if err := s.cfg.SNS.ConfirmSubscription(r.Context(), m); err != nil {
			s.log.WarnContext(r.Context(), "ses webhook: subscription not confirmed", "err", err)
			if errors.Is(err, sns.ErrInvalid) {
				return gram.Errorf(gram.EFORBIDDEN, "The subscription URL is not an SNS URL.")
			}
			return gram.Errorf(eBadGateway, "The subscription could not be confirmed.")
		}
		s.log.InfoContext(r.Context(), "ses webhook: subscription confirmed", "topic", m.TopicArn)
	case sns.TypeNotification:
		f, err := sesfeedback.Parse(m.Message)
		if err != nil {
			return gram.Errorf(gram.EINVALID, "The notification is not an SES notification.")
		}
		if err := s.svc.SuppressMail(r.Context(), f.Reason, f.Addresses); err != nil {
			return err
		}
	}
	return ok(w, http.StatusOK, envelope{Message: "ok"})
}

// snsMessage reads the SNS message of the request: only one of the
// configured topic with a valid signature counts. SNS sends the JSON as
// text/plain, so the body is read here rather than through decode.
func (s *Server) snsMessage(w http.ResponseWriter, r *http.Request) (*sns.Message, error) {
	limitBody(w, r, 256<<10)
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, gram.Errorf(gram.ETOOLARGE, "The message is too large.")
	}
	var m sns.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, gram.Errorf(gram.EINVALID, "The body is not an SNS message.")
	}
	switch {
	case m.TopicArn != s.cfg.SNSTopicARN:
		return nil, gram.Errorf(gram.EFORBIDDEN, "Unknown topic.")
	case m.Type != sns.TypeNotification && m.Type != sns.TypeSubscriptionConfirmation && m.Type != sns.TypeUnsubscribeConfirmation:
		return nil, gram.Errorf(gram.EINVALID, "Unknown message type.")
	}
	if err := s.cfg.SNS.Verify(r.Context(), &m); err != nil {
		s.log.WarnContext(r.Context(), "ses webhook: refused", "err", err, "request_id", requestID(r.Context()))
		if errors.Is(err, sns.ErrInvalid) {
			return nil, gram.Errorf(gram.EFORBIDDEN, "The message signature is not valid.")
		}
		return nil, gram.Errorf(gram.EUNAVAILABLE, "The signing certificate could not be fetched. Please retry.")
	}
	return &m, nil
}
