package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/instamern/gram/internal/gram"
)

// SESAPI is the part of the SES v2 client that SES uses.
type SESAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// SES is a gram.Mailer that sends through the Amazon SES v2 API. It sends
// the raw MIME message from Build, so both alternatives and our headers
// (Message-ID, Auto-Submitted) arrive as built. Safe for concurrent use.
type SES struct {
	Client           SESAPI
	From             string // sender, as for Build; must be a verified identity
	ConfigurationSet string // optional SES configuration set (event publishing)
	Now              func() time.Time
}

var _ gram.Mailer = (*SES)(nil)

// SESConfig configures NewSES.
type SESConfig struct {
	Region           string // "" means the SDK's (AWS_REGION, shared config)
	Endpoint         string // override, e.g. an emulator: "http://127.0.0.1:8005"
	ConfigurationSet string
	From             string
}

// NewSES builds an SES mailer with the standard AWS credential chain
// (environment, shared files, SSO, web identity, instance role).
func NewSES(ctx context.Context, c SESConfig) (*SES, error) {
	var opts []func(*config.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	// The outbox owns retries and their backoff; SDK retries would only
	// hold a sender longer inside one attempt.
	opts = append(opts, config.WithRetryMaxAttempts(1))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: ses: load AWS config: %w", err)
	}
	client := sesv2.NewFromConfig(cfg, func(o *sesv2.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
	})
	if _, err := parseAddress("from", c.From); err != nil {
		return nil, err
	}
	return &SES{Client: client, From: c.From, ConfigurationSet: c.ConfigurationSet}, nil
}

// Send implements gram.Mailer.
func (s *SES) Send(ctx context.Context, m gram.Message) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	raw, err := Build(s.From, m, now())
	if err != nil {
		return err
	}
	rcpt, err := parseAddress("to", m.To)
	if err != nil {
		return err
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &types.Destination{ToAddresses: []string{rcpt.Address}},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: raw}},
	}
	if s.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.ConfigurationSet)
	}
	if _, err := s.Client.SendEmail(ctx, in); err != nil {
		return fmt.Errorf("mail: ses: %w", err)
	}
	return nil
}
