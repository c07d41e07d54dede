package mail_test

import (
	"context"
	"encoding/base64"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// fakeSMTP is a scripted SMTP server that advertises the given EHLO
// extensions and records what a client did. Plain text only.
type fakeSMTP struct {
	ext  []string
	mu   sync.Mutex
	log  []string // commands, with AUTH payloads decoded
	data string
}

func (f *fakeSMTP) start(t *testing.T) string {
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
			go f.serve(textproto.NewConn(c))
		}
	}()
	return l.Addr().String()
}

func (f *fakeSMTP) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, s)
}

func (f *fakeSMTP) serve(c *textproto.Conn) {
	defer c.Close()
	c.PrintfLine("220 fake ESMTP")
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			f.record(line)
			c.PrintfLine("250-fake")
			for _, e := range f.ext {
				c.PrintfLine("250-%s", e)
			}
			c.PrintfLine("250 8BITMIME")
		case "AUTH":
			f.auth(c, arg)
		case "DATA":
			c.PrintfLine("354 go ahead")
			b, _ := c.ReadDotBytes() // undoes dot-stuffing; lines end in \n
			f.mu.Lock()
			f.data = string(b)
			f.mu.Unlock()
			c.PrintfLine("250 queued")
		case "QUIT":
			c.PrintfLine("221 bye")
			return
		default:
			f.record(line)
			c.PrintfLine("250 ok")
		}
	}
}

func (f *fakeSMTP) auth(c *textproto.Conn, arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	if mech == "PLAIN" {
		b, _ := base64.StdEncoding.DecodeString(initial)
		f.record("AUTH PLAIN " + strings.ReplaceAll(string(b), "\x00", "|"))
		c.PrintfLine("235 ok")
		return
	}
	var got []string
	for _, prompt := range []string{"Username:", "Password:"} {
		c.PrintfLine("334 %s", base64.StdEncoding.EncodeToString([]byte(prompt)))
		line, _ := c.ReadLine()
		b, _ := base64.StdEncoding.DecodeString(line)
		got = append(got, string(b))
	}
	f.record("AUTH LOGIN " + strings.Join(got, "|"))
	c.PrintfLine("235 ok")
}

func TestSMTP_Dialogue(t *testing.T) {
	tests := []struct {
		name    string
		ext     []string
		url     string
		want    []string // commands the server must have seen, in order
		wantErr bool
	}{
		{"NoAuth", nil, "smtp://%s",
			[]string{"EHLO localhost", "MAIL FROM:<no-reply@instamern.app> BODY=8BITMIME", "RCPT TO:<ada@example.com>"}, false},
		{"AuthPlain", []string{"AUTH LOGIN PLAIN"}, "smtp://u:p%40ss@%s?helo=gram.test",
			[]string{"EHLO gram.test", "AUTH PLAIN |u|p@ss", "MAIL FROM:<no-reply@instamern.app> BODY=8BITMIME"}, false},
		{"AuthLoginOnly", []string{"AUTH LOGIN"}, "smtp://u:p%40ss@%s",
			[]string{"EHLO localhost", "AUTH LOGIN u|p@ss", "MAIL FROM:<no-reply@instamern.app> BODY=8BITMIME"}, false},
		{"AuthNotOffered", nil, "smtp://u:p@%s", nil, true},
		{"TLSRequiredNotOffered", nil, "smtp://%s?tls=required", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSMTP{ext: tt.ext}
			addr := f.start(t)
			tr, err := mail.Open(strings.Replace(tt.url, "%s", addr, 1), mail.Options{From: testFrom})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = tr.Send(ctx, gram.Message{ID: "x", To: "Ada <ada@example.com>", Subject: "s", Text: "t\n.\nend"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if tt.wantErr {
				if strings.Contains(err.Error(), "p@ss") {
					t.Errorf("error leaks the password: %v", err)
				}
				return
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			for i, w := range tt.want {
				if i >= len(f.log) || f.log[i] != w {
					t.Fatalf("server saw %q, want %q", f.log, tt.want)
				}
			}
			if !strings.Contains(f.data, "\nSubject: s\n") || !strings.Contains(f.data, "\nt\n.\nend\n") {
				t.Errorf("DATA = %q", f.data)
			}
		})
	}
}
