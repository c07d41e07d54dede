package api_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/sns"
)

const (
	testTopic   = "arn:aws:sns:us-east-1:123456789012:ses-feedback"
	webhookPath = "/instamern/webhooks/ses"
)

// snsServer plays Amazon SNS: it serves its signing certificate and the
// SubscribeURL over HTTPS (on 127.0.0.1) and signs messages.
type snsServer struct {
	srv        *httptest.Server
	key        *rsa.PrivateKey
	subscribed atomic.Int32
	certGets   atomic.Int32
}

func newSNSServer(t *testing.T) *snsServer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.us-east-1.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	s := &snsServer{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cert.pem", func(w http.ResponseWriter, _ *http.Request) { s.certGets.Add(1); w.Write(certPEM) })
	mux.HandleFunc("GET /subscribe", func(w http.ResponseWriter, _ *http.Request) { s.subscribed.Add(1) })
	s.srv = httptest.NewTLSServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// option configures the webhook to trust this server (host 127.0.0.1).
func (s *snsServer) option() option {
	return withAPI(func(c *api.Config) {
		c.SNSTopicARN = testTopic
		c.SNS = &sns.Verifier{Host: regexp.MustCompile(`^127\.0\.0\.1$`), Client: s.srv.Client()}
	})
}

// message returns a signed message of type typ carrying body.
func (s *snsServer) message(t *testing.T, typ, version, body string) sns.Message {
	t.Helper()
	m := sns.Message{Type: typ, MessageId: "id-" + fmt.Sprint(time.Now().UnixNano()), TopicArn: testTopic, Message: body,
		Timestamp: time.Now().UTC().Format(time.RFC3339), SignatureVersion: version, SigningCertURL: s.srv.URL + "/cert.pem"}
	if typ == sns.TypeNotification {
		m.Subject = "Amazon SES Email Event Notification"
	} else {
		m.Token, m.SubscribeURL = "tok", s.srv.URL+"/subscribe"
	}
	s.sign(t, &m)
	return m
}

// sign signs m over its canonical string (AWS's documented layout,
// written out here independently of package sns).
func (s *snsServer) sign(t *testing.T, m *sns.Message) {
	t.Helper()
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	add("Message", m.Message)
	add("MessageId", m.MessageId)
	if m.Type == sns.TypeNotification {
		if m.Subject != "" {
			add("Subject", m.Subject)
		}
	} else {
		add("SubscribeURL", m.SubscribeURL)
	}
	add("Timestamp", m.Timestamp)
	if m.Type != sns.TypeNotification {
		add("Token", m.Token)
	}
	add("TopicArn", m.TopicArn)
	add("Type", m.Type)
	h, sum := crypto.SHA256, sha256.Sum256([]byte(b.String()))
	digest := sum[:]
	if m.SignatureVersion == "1" {
		s1 := sha1.Sum([]byte(b.String()))
		h, digest = crypto.SHA1, s1[:]
	}
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, h, digest)
	if err != nil {
		t.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
}

func bounce(kind string, addrs ...string) string {
	var rs []map[string]string
	for _, a := range addrs {
		rs = append(rs, map[string]string{"emailAddress": a})
	}
	b, _ := json.Marshal(map[string]any{"notificationType": "Bounce",
		"bounce": map[string]any{"bounceType": kind, "bouncedRecipients": rs}})
	return string(b)
}

func complaint(addrs ...string) string {
	var rs []map[string]string
	for _, a := range addrs {
		rs = append(rs, map[string]string{"emailAddress": a})
	}
	b, _ := json.Marshal(map[string]any{"eventType": "Complaint", "complaint": map[string]any{"complainedRecipients": rs}})
	return string(b)
}

// postSNS posts m as SNS does: JSON with Content-Type text/plain.
func (h *harness) postSNS(t *testing.T, m any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	res, raw := h.request(t, "POST", webhookPath, "", b, map[string]string{"Content-Type": "text/plain; charset=UTF-8",
		"X-Amz-Sns-Message-Type": "Notification"})
	return res.StatusCode, envelopeOf(t, res, raw)
}

func (h *harness) suppressed(t *testing.T, email string) bool {
	t.Helper()
	ok, err := h.store.MailSuppressed(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// SES bounces and complaints through a verified SNS webhook.
func TestSESWebhook(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := newSNSServer(t)
		h := newHarness(t, b, s.option())

		tests := []struct {
			name     string
			msg      func() sns.Message
			status   int
			suppress string // address that must be suppressed afterwards
			keep     string // address that must not be
		}{
			{"ComplaintV1", func() sns.Message { return s.message(t, sns.TypeNotification, "1", complaint("C1@Example.com")) },
				200, "c1@example.com", ""},
			{"PermanentBounceV2", func() sns.Message {
				return s.message(t, sns.TypeNotification, "2", bounce("Permanent", "Bob B <b2@example.com>"))
			}, 200, "b2@example.com", ""},
			{"TransientBounceIgnored", func() sns.Message {
				return s.message(t, sns.TypeNotification, "2", bounce("Transient", "t3@example.com"))
			}, 200, "", "t3@example.com"},
			{"TamperedBody", func() sns.Message {
				m := s.message(t, sns.TypeNotification, "2", complaint("t4@example.com"))
				m.Message = complaint("victim4@example.com")
				return m
			}, 403, "", "victim4@example.com"},
			{"WrongCertHost", func() sns.Message {
				m := sns.Message{Type: sns.TypeNotification, MessageId: "x", TopicArn: testTopic, Message: complaint("t5@example.com"),
					Timestamp: "2026-01-01T00:00:00Z", SignatureVersion: "2",
					SigningCertURL: strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1) + "/cert.pem"}
				s.sign(t, &m)
				return m
			}, 403, "", "t5@example.com"},
			{"HTTPCertURL", func() sns.Message {
				m := s.message(t, sns.TypeNotification, "2", complaint("t6@example.com"))
				m.SigningCertURL = strings.Replace(m.SigningCertURL, "https://", "http://", 1)
				s.sign(t, &m)
				return m
			}, 403, "", "t6@example.com"},
			{"UnknownSignatureVersion", func() sns.Message {
				m := s.message(t, sns.TypeNotification, "2", complaint("t7@example.com"))
				m.SignatureVersion = "3"
				return m
			}, 403, "", "t7@example.com"},
			{"UnknownType", func() sns.Message { return s.message(t, "Surprise", "2", complaint("t8@example.com")) }, 400, "", "t8@example.com"},
			{"OtherTopic", func() sns.Message {
				m := s.message(t, sns.TypeNotification, "2", complaint("t9@example.com"))
				m.TopicArn = "arn:aws:sns:us-east-1:999999999999:other"
				s.sign(t, &m)
				return m
			}, 403, "", "t9@example.com"},
			{"NotSESJSON", func() sns.Message { return s.message(t, sns.TypeNotification, "2", "hello") }, 400, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, body := h.postSNS(t, tt.msg())
				if tt.status == 200 {
					wantSuccess(t, st, body, 200)
				} else {
					wantFail(t, st, body, tt.status, "")
				}
				if tt.suppress != "" && !h.suppressed(t, tt.suppress) {
					t.Errorf("%s is not suppressed", tt.suppress)
				}
				if tt.keep != "" && h.suppressed(t, tt.keep) {
					t.Errorf("%s is suppressed", tt.keep)
				}
			})
		}

		if n := s.certGets.Load(); n != 1 {
			t.Errorf("the signing certificate was fetched %d times; want once (cached)", n)
		}

		t.Run("NotJSON", func(t *testing.T) {
			st, body := h.postSNS(t, "not an object")
			wantFail(t, st, body, 400, "")
		})

		t.Run("SubscriptionConfirmation", func(t *testing.T) {
			st, body := h.postSNS(t, s.message(t, sns.TypeSubscriptionConfirmation, "2", "You have chosen to subscribe"))
			wantSuccess(t, st, body, 200)
			if n := s.subscribed.Load(); n != 1 {
				t.Errorf("SubscribeURL visited %d times; want 1", n)
			}
			m := s.message(t, sns.TypeSubscriptionConfirmation, "2", "subscribe")
			m.SubscribeURL = "https://example.com/subscribe"
			s.sign(t, &m)
			st, body = h.postSNS(t, m)
			wantFail(t, st, body, 403, "")
			if n := s.subscribed.Load(); n != 1 {
				t.Errorf("SubscribeURL visited %d times after a foreign URL; want 1", n)
			}
		})

		// A permanent bounce stops later mail: the reset mail to the
		// bounced address is never sent; others still are.
		t.Run("BounceStopsResetMail", func(t *testing.T) {
			alice, bob := h.signup(t, "alice"), h.signup(t, "bob")
			h.flushMail(t)
			st, body := h.postSNS(t, s.message(t, sns.TypeNotification, "1", bounce("Permanent", "ALICE@example.com")))
			wantSuccess(t, st, body, 200)
			for _, u := range []user{alice, bob} {
				st, body := h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": u.Email})
				wantSuccess(t, st, body, 200)
			}
			sent := h.flushMail(t)
			if len(sent) != 1 || sent[0].To != bob.Email {
				t.Errorf("sent %+v; want only bob's reset mail", sent)
			}
			if again := h.flushMail(t); len(again) != 0 {
				t.Errorf("the suppressed mail was retried: %+v", again)
			}
		})
	})
}

// Without SES_SNS_TOPIC_ARN there is no webhook.
func TestSESWebhookOff(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		st, body := h.postSNS(t, map[string]string{"Type": "Notification", "TopicArn": testTopic})
		wantFail(t, st, body, 404, "")
	})
}
