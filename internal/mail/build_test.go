package mail_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	gmail "github.com/instamern/gram/internal/mail"
)

// parsed is a built message read back with the standard library.
type parsed struct {
	header mail.Header
	parts  map[string]string // media type -> decoded body
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	for i, line := range strings.Split(string(raw), "\r\n") {
		if strings.Contains(line, "\n") || len(line) > 998 {
			t.Fatalf("line %d is not a proper CRLF line of at most 998 octets: %q", i, line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	typ, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	p := parsed{header: msg.Header, parts: map[string]string{}}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(part) // NextPart decodes quoted-printable
		if err != nil {
			t.Fatal(err)
		}
		ptyp, pparams, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if pparams["charset"] != "utf-8" {
			t.Errorf("%s charset = %q", ptyp, pparams["charset"])
		}
		p.parts[ptyp] = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	return p
}

func decode(t *testing.T, h string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(h)
	if err != nil {
		t.Fatalf("decode %q: %v", h, err)
	}
	return s
}

var buildNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func TestBuild(t *testing.T) {
	long := strings.Repeat("ü long line without breaks ", 80) + resetLink
	tests := []struct {
		name    string
		from    string
		msg     gram.Message
		subject string
		fromHdr string // decoded From display
	}{
		{"ASCII", "InstaMERN <no-reply@instamern.app>",
			gram.Message{ID: "65f0c0ffee0123456789abcd", To: "ada@example.com", Subject: "Reset your password", HTML: "<p>hi</p>", Text: "hi\n"},
			"Reset your password", `"InstaMERN" <no-reply@instamern.app>`},
		{"UTF8", "Hüseyin Ateş <no-reply@instamern.app>",
			gram.Message{ID: "1", To: "Zoë <zoe@example.com>", Subject: "Welcome to InstaMERN 🥳 — ça va?", HTML: "<p>Hello, Zoë 👋</p>", Text: "Hello, Zoë 👋\n"},
			"Welcome to InstaMERN 🥳 — ça va?", `"Hüseyin Ateş" <no-reply@instamern.app>`},
		{"LongLines", "no-reply@instamern.app",
			gram.Message{ID: "2", To: "ada@example.com", Subject: strings.Repeat("Långt ämne ", 20), HTML: "<p>" + long + "</p>", Text: long},
			strings.TrimSpace(strings.Repeat("Långt ämne ", 20)), "<no-reply@instamern.app>"},
		{"SubjectInjection", "no-reply@instamern.app",
			gram.Message{ID: "3", To: "ada@example.com", Subject: "Hi\r\nBcc: victim@example.com", Text: "x"},
			"Hi Bcc: victim@example.com", "<no-reply@instamern.app>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := gmail.Build(tt.from, tt.msg, buildNow)
			if err != nil {
				t.Fatal(err)
			}
			p := parse(t, raw)
			h := p.header
			if got := decode(t, h.Get("Subject")); got != tt.subject {
				t.Errorf("Subject = %q, want %q", got, tt.subject)
			}
			if h.Get("Bcc") != "" {
				t.Errorf("injected Bcc header")
			}
			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].String() != mustAddr(t, tt.from).String() {
				t.Errorf("From = %v, %v", from, err)
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Address != mustAddr(t, tt.msg.To).Address || to[0].Name != mustAddr(t, tt.msg.To).Name {
				t.Errorf("To = %v, %v", to, err)
			}
			if d, err := h.Date(); err != nil || !d.Equal(buildNow) {
				t.Errorf("Date = %v, %v", d, err)
			}
			if got, want := h.Get("Message-ID"), "<"+tt.msg.ID+"@instamern.app>"; got != want {
				t.Errorf("Message-ID = %q, want %q", got, want)
			}
			if h.Get("MIME-Version") != "1.0" {
				t.Errorf("MIME-Version = %q", h.Get("MIME-Version"))
			}
			if got := p.parts["text/plain"]; got != strings.ReplaceAll(tt.msg.Text, "\r\n", "\n") {
				t.Errorf("text part = %q, want %q", got, tt.msg.Text)
			}
			if got := p.parts["text/html"]; got != tt.msg.HTML {
				t.Errorf("html part = %q, want %q", got, tt.msg.HTML)
			}
		})
	}
}

func mustAddr(t *testing.T, s string) *mail.Address {
	t.Helper()
	a, err := mail.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBuild_RandomMessageID(t *testing.T) {
	m := gram.Message{To: "ada@example.com", Subject: "x", Text: "x"}
	a, _ := gmail.Build("no-reply@instamern.app", m, buildNow)
	b, _ := gmail.Build("no-reply@instamern.app", m, buildNow)
	ida, idb := parse(t, a).header.Get("Message-ID"), parse(t, b).header.Get("Message-ID")
	if ida == idb || !strings.HasSuffix(ida, "@instamern.app>") {
		t.Errorf("Message-IDs %q, %q", ida, idb)
	}
}

func TestBuild_Errors(t *testing.T) {
	ok := gram.Message{ID: "1", To: "ada@example.com", Subject: "s", Text: "t", HTML: "h"}
	tests := []struct {
		name string
		from string
		edit func(m *gram.Message)
	}{
		{"BadFrom", "not an address", nil},
		{"FromInjection", "x@example.com\r\nBcc: v@example.com", nil},
		{"ToInjection", "", func(m *gram.Message) { m.To = "ada@example.com\r\nBcc: v@example.com" }},
		{"NameInjection", "", func(m *gram.Message) { m.To = "\"Ada\r\nBcc: v@example.com\" <ada@example.com>" }},
		{"TwoRecipients", "", func(m *gram.Message) { m.To = "a@example.com, b@example.com" }},
		{"EmptyTo", "", func(m *gram.Message) { m.To = "" }},
		{"IDInjection", "", func(m *gram.Message) { m.ID = "x>\r\nBcc: v@example.com" }},
		{"NoBody", "", func(m *gram.Message) { m.Text, m.HTML = "", "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, from := ok, tt.from
			if from == "" {
				from = "no-reply@instamern.app"
			}
			if tt.edit != nil {
				tt.edit(&m)
			}
			if raw, err := gmail.Build(from, m, buildNow); err == nil {
				t.Errorf("no error; built:\n%s", raw)
			}
		})
	}
}

func TestBuild_OnePart(t *testing.T) {
	raw, err := gmail.Build("no-reply@instamern.app", gram.Message{To: "a@example.com", Subject: "s", Text: "only text"}, buildNow)
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, raw)
	if len(p.parts) != 1 || p.parts["text/plain"] != "only text" {
		t.Errorf("parts = %q", p.parts)
	}
}
