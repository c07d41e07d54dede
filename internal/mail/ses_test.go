package mail_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// TestSES_Send checks the request the SDK makes, against a fake endpoint.
func TestSES_Send(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	var got struct {
		FromEmailAddress     string
		ConfigurationSetName string
		Destination          struct{ ToAddresses []string }
		Content              struct{ Raw struct{ Data string } }
	}
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"MessageId":"ses-1"}`))
	}))
	defer srv.Close()
	s, err := mail.NewSES(context.Background(), mail.SESConfig{Region: "eu-west-1", Endpoint: srv.URL,
		ConfigurationSet: "gram", From: "InstaMERN <no-reply@instamern.app>"})
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return buildNow }
	m := gram.Message{ID: "abc", To: "Ada <ada@example.com>", Subject: "Reset your password", Text: resetLink, HTML: "<p>x</p>"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if path != "/v2/email/outbound-emails" || got.FromEmailAddress != s.From || got.ConfigurationSetName != "gram" ||
		len(got.Destination.ToAddresses) != 1 || got.Destination.ToAddresses[0] != "ada@example.com" {
		t.Errorf("request %s %+v", path, got)
	}
	raw, err := base64.StdEncoding.DecodeString(got.Content.Raw.Data)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, raw)
	if p.header.Get("Message-ID") != "<abc@instamern.app>" || p.parts["text/plain"] != resetLink {
		t.Errorf("raw message %s", raw)
	}
}

func TestSES_SendError(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "MessageRejected")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"message":"Email address is not verified."}`))
	}))
	defer srv.Close()
	s, err := mail.NewSES(context.Background(), mail.SESConfig{Region: "eu-west-1", Endpoint: srv.URL, From: "no-reply@instamern.app"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), gram.Message{To: "a@example.com", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "not verified") {
		t.Errorf("err = %v", err)
	}
}
