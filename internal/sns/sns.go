// Package sns verifies Amazon SNS messages delivered over HTTP(S): the
// signature (SignatureVersion 1, SHA1withRSA, and 2, SHA256withRSA) over
// the canonical string, with the signing certificate fetched over HTTPS
// from an SNS host only; and it confirms subscriptions.
package sns

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Message types.
const (
	TypeNotification             = "Notification"
	TypeSubscriptionConfirmation = "SubscriptionConfirmation"
	TypeUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// Message is the JSON body of an SNS HTTP(S) delivery.
type Message struct {
	Type             string
	MessageId        string
	Token            string // confirmations only
	TopicArn         string
	Subject          string // notifications, optional
	Message          string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string
	SubscribeURL     string // confirmations only
	UnsubscribeURL   string
}

// DefaultHost matches the hosts SNS signs from and confirms through:
// sns.<region>.amazonaws.com (and .com.cn in China). The region must look
// like one (us-east-1, us-gov-west-1, cn-north-1): any label would also
// let in S3's virtual hosts, e.g. sns.s3.amazonaws.com serves a bucket
// named "sns" that anyone could own, with a valid certificate.
var DefaultHost = regexp.MustCompile(`^sns\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?$`)

// ErrInvalid wraps every reason a message is refused.
var ErrInvalid = errors.New("sns: invalid message")

// maxCerts bounds the certificate cache (SNS uses one certificate per
// region at a time).
const maxCerts = 32

// Verifier checks messages. The zero value is ready: it trusts
// DefaultHost, fetches with a 10-second timeout, and caches certificates.
// It is safe for concurrent use.
type Verifier struct {
	// Host matches the host of SigningCertURL and SubscribeURL; nil
	// means DefaultHost. Tests point it at their own server.
	Host *regexp.Regexp
	// Client fetches certificates and subscription URLs; nil means a
	// client with a 10-second timeout.
	Client *http.Client

	mu    sync.Mutex
	certs map[string]*x509.Certificate
}

// Verify checks m's signature with the certificate at m.SigningCertURL.
// Any failure wraps ErrInvalid, except a failure to fetch the certificate.
func (v *Verifier) Verify(ctx context.Context, m *Message) error {
	var h crypto.Hash
	switch m.SignatureVersion {
	case "1":
		h = crypto.SHA1
	case "2":
		h = crypto.SHA256
	default:
		return fmt.Errorf("%w: signature version %q", ErrInvalid, m.SignatureVersion)
	}
	canon, err := canonical(m)
	if err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil {
		return fmt.Errorf("%w: signature is not base64", ErrInvalid)
	}
	cert, err := v.cert(ctx, m.SigningCertURL)
	if err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: signing certificate has no RSA key", ErrInvalid)
	}
	if err := rsa.VerifyPKCS1v15(pub, h, digest(h, canon), sig); err != nil {
		return fmt.Errorf("%w: bad signature", ErrInvalid)
	}
	return nil
}

func digest(h crypto.Hash, s string) []byte {
	if h == crypto.SHA1 {
		d := sha1.Sum([]byte(s))
		return d[:]
	}
	d := sha256.Sum256([]byte(s))
	return d[:]
}

// canonical is the string SNS signs: "Name\nvalue\n" for each signed
// field of the message type, in this order; Subject only when present.
func canonical(m *Message) (string, error) {
	type field struct{ name, value string }
	var fields []field
	switch m.Type {
	case TypeNotification:
		fields = []field{{"Message", m.Message}, {"MessageId", m.MessageId}}
		if m.Subject != "" {
			fields = append(fields, field{"Subject", m.Subject})
		}
		fields = append(fields, field{"Timestamp", m.Timestamp}, field{"TopicArn", m.TopicArn}, field{"Type", m.Type})
	case TypeSubscriptionConfirmation, TypeUnsubscribeConfirmation:
		fields = []field{{"Message", m.Message}, {"MessageId", m.MessageId}, {"SubscribeURL", m.SubscribeURL},
			{"Timestamp", m.Timestamp}, {"Token", m.Token}, {"TopicArn", m.TopicArn}, {"Type", m.Type}}
	default:
		return "", fmt.Errorf("%w: unknown type %q", ErrInvalid, m.Type)
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.name + "\n" + f.value + "\n")
	}
	return b.String(), nil
}

// checkURL accepts only https URLs on a trusted host.
func (v *Verifier) checkURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil {
		return nil, fmt.Errorf("%w: %s is not an https URL", ErrInvalid, what)
	}
	host := v.Host
	if host == nil {
		host = DefaultHost
	}
	if !host.MatchString(u.Hostname()) {
		return nil, fmt.Errorf("%w: %s host %q is not an SNS host", ErrInvalid, what, u.Hostname())
	}
	return u, nil
}

// cert returns the certificate at raw, from the cache or fetched.
func (v *Verifier) cert(ctx context.Context, raw string) (*x509.Certificate, error) {
	u, err := v.checkURL("SigningCertURL", raw)
	if err != nil {
		return nil, err
	}
	key := u.String()
	v.mu.Lock()
	c := v.certs[key]
	v.mu.Unlock()
	if c != nil && time.Now().Before(c.NotAfter) {
		return c, nil
	}
	body, err := v.get(ctx, key, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("sns: fetch signing certificate: %w", err)
	}
	block, _ := pem.Decode(body)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: signing certificate is not PEM", ErrInvalid)
	}
	if c, err = x509.ParseCertificate(block.Bytes); err != nil {
		return nil, fmt.Errorf("%w: signing certificate: %v", ErrInvalid, err)
	}
	if now := time.Now(); now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return nil, fmt.Errorf("%w: signing certificate is not valid now", ErrInvalid)
	}
	v.mu.Lock()
	if v.certs == nil || len(v.certs) >= maxCerts {
		v.certs = map[string]*x509.Certificate{}
	}
	v.certs[key] = c
	v.mu.Unlock()
	return c, nil
}

// ConfirmSubscription visits m.SubscribeURL (which must be https on a
// trusted host), as SNS asks before it delivers notifications.
func (v *Verifier) ConfirmSubscription(ctx context.Context, m *Message) error {
	u, err := v.checkURL("SubscribeURL", m.SubscribeURL)
	if err != nil {
		return err
	}
	_, err = v.get(ctx, u.String(), 64<<10)
	return err
}

// get fetches u and returns up to limit bytes of a 200 answer.
func (v *Verifier) get(ctx context.Context, u string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	client := v.Client
	if client == nil {
		// No redirects: they could lead off the trusted host.
		client = &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, limit))
}
