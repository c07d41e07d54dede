package mail_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentAddr returns an address that accepts connections and never speaks,
// like a hung server or a black-holing firewall after the handshake.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().String()
}

func TestTransports_FailFast(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	closed, silent := closedAddr(t), silentAddr(t)
	tests := []struct {
		name    string
		url     string
		timeout time.Duration
	}{
		{"SMTPClosedPort", "smtp://" + closed, 10 * time.Second},
		{"SMTPSClosedPort", "smtps://" + closed, 10 * time.Second},
		{"SESClosedPort", "ses://us-east-1?endpoint=http://" + closed, 10 * time.Second},
		{"SMTPSilentServer", "smtp://" + silent, 200 * time.Millisecond},
		{"SMTPSSilentServer", "smtps://" + silent, 200 * time.Millisecond},
		{"SESSilentServer", "ses://us-east-1?endpoint=http://" + silent, 200 * time.Millisecond},
	}
	m := gram.Message{ID: "x", To: "ada@example.com", Subject: "s", Text: "t"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := mail.Open(tt.url, mail.Options{From: testFrom})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			start := time.Now()
			if err := tr.Send(ctx, m); err == nil {
				t.Fatal("no error")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestSMTP_CanceledContext(t *testing.T) {
	s := &mail.SMTP{Addr: silentAddr(t), From: testFrom}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	if err := s.Send(ctx, gram.Message{To: "a@example.com", Text: "t"}); err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v after cancel", d)
	}
}
