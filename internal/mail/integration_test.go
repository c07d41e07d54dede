package mail_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/instamern/gram/internal/testenv"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// Real-server tests. Start the servers and run them with:
//
//	scripts/services.sh start && eval "$(scripts/services.sh env)"
//	go test ./internal/mail -run 'Mailpit|Emulator'

const testFrom = "InstaMERN <no-reply@instamern.app>"

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func needEnv(t *testing.T, key string) {
	t.Helper()
	testenv.Need(t, key)
}

// uniqueRcpt returns an address no other test run uses, to find the mail.
func uniqueRcpt(t *testing.T) string {
	name := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	return fmt.Sprintf("%s-%d@example.com", name, time.Now().UnixNano())
}

// mailpitMessage is the part of Mailpit's message JSON that tests read.
type mailpitMessage struct {
	ID        string
	MessageID string
	Subject   string
	Text      string
	HTML      string
	From      struct{ Name, Address string }
	To        []struct{ Name, Address string }
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// mailpitFind waits until Mailpit holds a message to rcpt and returns it.
func mailpitFind(t *testing.T, rcpt string) mailpitMessage {
	t.Helper()
	base := envOr("MAILPIT_URL", "http://127.0.0.1:8025")
	q := base + "/api/v1/search?query=" + url.QueryEscape(`to:"`+rcpt+`"`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var res struct{ Messages []struct{ ID string } }
		getJSON(t, q, &res)
		if len(res.Messages) > 1 {
			t.Fatalf("%d messages to %s, want one", len(res.Messages), rcpt)
		}
		if len(res.Messages) == 1 {
			var m mailpitMessage
			getJSON(t, base+"/api/v1/message/"+res.Messages[0].ID, &m)
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s in Mailpit", rcpt)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func resetMessage(t *testing.T, rcpt string) gram.Message {
	t.Helper()
	m, err := newTemplates(t).Render(gram.MailPasswordReset, rcpt, gram.MailData{Firstname: "Zoë", Link: resetLink, Expires: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	m.ID = gram.NewID(time.Now())
	return m
}

func TestSMTP_Mailpit(t *testing.T) {
	needEnv(t, "GRAM_TEST_SMTP")
	base := strings.TrimSuffix(envOr("MAIL_URL", "smtp://127.0.0.1:1025"), "/")
	authURL := strings.Replace(base, "smtp://", "smtp://gram:s%3Acret@", 1)
	tests := []struct {
		name, url string
		subject   string // "" means the rendered reset mail
	}{
		{"ResetMail", base, ""},
		{"UTF8Subject", base, "Grüße, Zoë 👋 — ça va?"},
		{"WithAuth", authURL, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := mail.Open(tt.url, mail.Options{From: testFrom})
			if err != nil {
				t.Fatal(err)
			}
			rcpt := uniqueRcpt(t)
			m := resetMessage(t, rcpt)
			if tt.subject != "" {
				m.Subject = tt.subject
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := tr.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			got := mailpitFind(t, rcpt)
			checkMailpit(t, got, m)
		})
	}
}

func checkMailpit(t *testing.T, got mailpitMessage, m gram.Message) {
	t.Helper()
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.MessageID != m.ID+"@instamern.app" {
		t.Errorf("MessageID = %q, want %s@instamern.app", got.MessageID, m.ID)
	}
	if got.From.Name != "InstaMERN" || got.From.Address != "no-reply@instamern.app" {
		t.Errorf("From = %+v", got.From)
	}
	if !strings.Contains(got.Text, resetLink) || !strings.Contains(got.Text, "Hello, Zoë 👋") {
		t.Errorf("text part lacks the link or greeting:\n%s", got.Text)
	}
	if !strings.Contains(got.HTML, `href="`+resetLink+`"`) {
		t.Errorf("html part lacks the link:\n%s", got.HTML)
	}
}

// TestSender_MailpitOutage: the outbox keeps a message while the mail
// server is unreachable and delivers it once it is back.
func TestSender_MailpitOutage(t *testing.T) {
	needEnv(t, "GRAM_TEST_SMTP")
	up, err := mail.Open(envOr("MAIL_URL", "smtp://127.0.0.1:1025"), mail.Options{From: testFrom})
	if err != nil {
		t.Fatal(err)
	}
	down := &mail.SMTP{Addr: closedAddr(t), From: testFrom, TLS: mail.TLSNone}
	var tr gram.Mailer = down
	store, clk := newMemOutbox(), &clock{t: t0}
	rcpt := uniqueRcpt(t)
	m := resetMessage(t, rcpt)
	store.EnqueueMail(context.Background(), gram.OutboxMail{Message: m, CreatedAt: t0, NextAttemptAt: t0})
	s := &mail.Sender{Store: store, Log: quiet(), Now: clk.Now, Backoff: linearBackoff,
		Transport: mailerFunc(func(ctx context.Context, m gram.Message) error { return tr.Send(ctx, m) })}

	flush(t, s)
	if got := store.get(m.ID); !got.SentAt.IsZero() || got.LastError == "" || got.Failed {
		t.Fatalf("while down: %+v", got)
	}
	tr = up
	clk.Add(time.Minute)
	flush(t, s)
	if got := store.get(m.ID); got.SentAt.IsZero() {
		t.Fatalf("after recovery: %+v", got)
	}
	checkMailpit(t, mailpitFind(t, rcpt), m)
}

// sesEmail is the part of the emulator's /store entries that tests read.
type sesEmail struct {
	From        string
	Subject     string
	Destination struct{ To []string }
	Body        struct{ Text, HTML string }
}

func TestSES_Emulator(t *testing.T) {
	needEnv(t, "GRAM_TEST_SES")
	endpoint := envOr("SES_ENDPOINT", "http://127.0.0.1:8005")
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" {
		t.Setenv("AWS_ACCESS_KEY_ID", "test")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	}
	tr, err := mail.Open("ses://us-east-1", mail.Options{From: testFrom, SESEndpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	rcpt := uniqueRcpt(t)
	m := resetMessage(t, rcpt)
	since := time.Now().Add(-time.Second).Unix()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tr.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	var store struct{ Emails []sesEmail }
	getJSON(t, fmt.Sprintf("%s/store?since=%d", endpoint, since), &store)
	i := slices.IndexFunc(store.Emails, func(e sesEmail) bool {
		return slices.ContainsFunc(e.Destination.To, func(to string) bool { return strings.Contains(to, rcpt) })
	})
	if i < 0 {
		t.Fatalf("no email to %s in the emulator's store", rcpt)
	}
	got := store.Emails[i]
	if got.Subject != "Reset your password" || !strings.Contains(got.From, "no-reply@instamern.app") {
		t.Errorf("subject %q, from %q", got.Subject, got.From)
	}
	if !strings.Contains(got.Body.Text, resetLink) || !strings.Contains(got.Body.HTML, `href="`+resetLink+`"`) {
		t.Errorf("body lacks the link in text or html: %+v", got.Body)
	}
}
