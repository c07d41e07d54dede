package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Build returns m as an RFC 5322 message from the given sender ("Name
// <addr>" or a bare address), dated now: Date, From, To, Subject (RFC 2047
// encoded when not ASCII), Message-ID (<m.ID@from-domain>, random when m.ID
// is empty), MIME-Version and a multipart/alternative body with a
// text/plain and a text/html part, both UTF-8 and quoted-printable. Lines
// end in CRLF. Addresses, names and the subject cannot inject headers: a
// CR or LF in an address or id is an error, in the subject it becomes a
// space. An empty part is left out; a message with neither is an error.
func Build(from string, m gram.Message, now time.Time) ([]byte, error) {
	sender, err := parseAddress("from", from)
	if err != nil {
		return nil, err
	}
	rcpt, err := parseAddress("to", m.To)
	if err != nil {
		return nil, err
	}
	if m.HTML == "" && m.Text == "" {
		return nil, errors.New("mail: message has no body")
	}
	id, err := messageID(m.ID, sender.Address)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header(&b, "Date", now.Format(time.RFC1123Z))
	header(&b, "From", sender.String())
	header(&b, "To", rcpt.String())
	header(&b, "Subject", encodeSubject(m.Subject))
	header(&b, "Message-ID", id)
	header(&b, "MIME-Version", "1.0")
	// Transactional mail: tells auto-responders not to answer (RFC 3834).
	header(&b, "Auto-Submitted", "auto-generated")
	if err := writeBody(&b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name + ": " + value + "\r\n")
}

// parseAddress parses one address, refusing line breaks that net/mail
// would otherwise fold away or pass through.
func parseAddress(field, s string) (*mail.Address, error) {
	a, err := parseAddr(field, s)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return a, nil
}

// parseAddr is parseAddress with errors that do not name the package.
func parseAddr(field, s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("%s address holds a line break", field)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		// net/mail's messages start with its own "mail: ".
		return nil, fmt.Errorf("bad %s address: %s", field, strings.TrimPrefix(err.Error(), "mail: "))
	}
	return a, nil
}

// encodeSubject makes s one header-safe line, RFC 2047 encoded if needed.
func encodeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mime.QEncoding.Encode("utf-8", s)
}

// messageID returns <id@domain of addr>. The id must be a dot-atom so the
// header stays valid; an empty id gets a random one.
func messageID(id, addr string) (string, error) {
	if id == "" {
		id = randomHex(16)
	}
	for _, c := range id {
		if !isAtext(c) && c != '.' {
			return "", fmt.Errorf("mail: message id %q is not a dot-atom", id)
		}
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	return "<" + id + "@" + domain + ">", nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

func isAtext(c rune) bool {
	return c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", c))
}

// writeBody writes the Content-Type header, the blank line and the parts,
// plain text first: clients show the last alternative they understand.
func writeBody(b *bytes.Buffer, m gram.Message) error {
	w := multipart.NewWriter(b)
	header(b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": w.Boundary()}))
	b.WriteString("\r\n")
	for _, p := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		if p.body == "" {
			continue
		}
		if err := writePart(w, p.typ, p.body); err != nil {
			return err
		}
	}
	return w.Close()
}

func writePart(w *multipart.Writer, typ, body string) error {
	pw, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {typ + "; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(pw)
	if _, err := qp.Write([]byte(body)); err != nil {
		return err
	}
	return qp.Close()
}
