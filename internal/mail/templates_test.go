package mail_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

const resetLink = "https://instamern.netlify.app/reset-password/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func newTemplates(t *testing.T) *mail.Templates {
	t.Helper()
	tpl, err := mail.NewTemplates(mail.Brand{Product: "InstaMERN", ClientURL: "https://instamern.netlify.app"})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestTemplates_Render(t *testing.T) {
	tpl := newTemplates(t)
	tests := []struct {
		kind    string
		data    gram.MailData
		subject string
		want    []string // in both the HTML and the text part
	}{
		{gram.MailWelcome, gram.MailData{Firstname: "Ada"}, "Welcome to InstaMERN",
			[]string{"Hello, Ada 👋", "We're glad to have you!", "https://instamern.netlify.app/"}},
		{gram.MailPasswordReset, gram.MailData{Firstname: "Ada", Link: resetLink, Expires: 10 * time.Minute}, "Reset your password",
			[]string{"To proceed with the password reset", resetLink, "expires in 10 minutes"}},
		{gram.MailPasswordChanged, gram.MailData{Username: "ada"}, "Your password was changed",
			[]string{"Hello, ada 👋", "@ada", "was just changed", "https://instamern.netlify.app/"}},
		{gram.MailEmailConfirm, gram.MailData{Firstname: "Ada", Username: "ada", Link: "https://instamern.netlify.app/confirm-email/tok"},
			"Confirm your new email address", []string{"ada@example.com", "https://instamern.netlify.app/confirm-email/tok", "Confirm your email address"}},
		{gram.MailEmailChanging, gram.MailData{Firstname: "Ada", Username: "ada", NewEmail: "new@example.com"},
			"Your email address is being changed", []string{"ada@example.com", "new@example.com", "@ada", "once it is confirmed"}},
		{gram.MailEmailChanged, gram.MailData{Firstname: "Ada", Username: "ada", NewEmail: "new@example.com"},
			"Your email address was changed", []string{"ada@example.com", "new@example.com", "@ada", "has been changed"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			m, err := tpl.Render(tt.kind, "ada@example.com", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if m.To != "ada@example.com" || m.ID != "" {
				t.Errorf("To, ID = %q, %q", m.To, m.ID)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			for _, w := range tt.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
				if !strings.Contains(m.HTML, w) {
					t.Errorf("html lacks %q", w)
				}
			}
			if !strings.Contains(m.HTML, "<title>"+tt.subject+"</title>") {
				t.Errorf("html lacks the subject as title")
			}
			if strings.Contains(m.Text, "<") {
				t.Errorf("text part holds markup:\n%s", m.Text)
			}
		})
	}
}

// Hostile names, address and link change no markup of any mail: the HTML
// has the same tags and the same raw <, >, " and ' as with plain data, so
// no tag, attribute or comment came from the data.
func TestTemplates_RenderEscapesHTML(t *testing.T) {
	tpl := newTemplates(t)
	for _, kind := range []string{gram.MailWelcome, gram.MailPasswordReset, gram.MailPasswordChanged,
		gram.MailEmailConfirm, gram.MailEmailChanging, gram.MailEmailChanged} {
		plain, err := tpl.Render(kind, "ada@example.com", gram.MailData{Firstname: "Ada", Username: "ada",
			NewEmail: "new@example.com", Link: resetLink, Expires: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		for i, evil := range hostileNames {
			t.Run(kind+strconv.Itoa(i), func(t *testing.T) {
				link := resetLink + `"><script>alert(1)</script>`
				m, err := tpl.Render(kind, "ada@example.com",
					gram.MailData{Firstname: evil, Username: evil, NewEmail: evil, Link: link, Expires: time.Hour})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := markupOf(m.HTML), markupOf(plain.HTML); got != want {
					t.Errorf("markup changed by the data:\n got %s\nwant %s\n%s", got, want, m.HTML)
				}
				if !strings.Contains(m.HTML, "&lt;") {
					t.Errorf("html lacks the escaped name")
				}
				// The text part is not HTML: the name appears as typed.
				if !strings.Contains(m.Text, "Hello, "+evil) {
					t.Errorf("text lacks the literal name:\n%s", m.Text)
				}
			})
		}
	}
}

// hostileNames are names a user may store as typed: every mail kind must
// show them as text, never as markup.
var hostileNames = []string{
	`<script>alert("x")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`</title><script>alert(1)</script>`,
	`<!--`,
	`&lt;b&gt; &amp;`,
}

// tagName matches the start of a tag, comment or declaration.
var tagName = regexp.MustCompile(`<[!/?]?[a-zA-Z-]*`)

// markupOf sums up the markup of an HTML document: its tags in order and
// how many raw <, >, " and ' it holds.
func markupOf(html string) string {
	return fmt.Sprintf("%v <%d >%d \"%d '%d", tagName.FindAllString(html, -1), strings.Count(html, "<"),
		strings.Count(html, ">"), strings.Count(html, `"`), strings.Count(html, "'"))
}

func TestTemplates_RenderRejectsUnsafeLink(t *testing.T) {
	tpl := newTemplates(t)
	for _, link := range []string{"javascript:alert(1)", "/reset-password/x", "ftp://example.com/x"} {
		if _, err := tpl.Render(gram.MailPasswordReset, "ada@example.com", gram.MailData{Link: link, Expires: time.Hour}); err == nil {
			t.Errorf("link %q: no error", link)
		}
	}
}

func TestTemplates_RenderSubjectIsOneLine(t *testing.T) {
	tpl, err := mail.NewTemplates(mail.Brand{Product: "Insta\r\nBcc: x@evil.example"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tpl.Render(gram.MailWelcome, "ada@example.com", gram.MailData{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		t.Errorf("Subject = %q", m.Subject)
	}
	if !strings.HasPrefix(m.Text, "Hello 👋") {
		t.Errorf("greeting without a name: %q", strings.SplitN(m.Text, "\n", 2)[0])
	}
}

func TestTemplates_RenderErrors(t *testing.T) {
	tpl := newTemplates(t)
	tests := []struct {
		name, kind, to string
		data           gram.MailData
	}{
		{"UnknownKind", "newsletter", "ada@example.com", gram.MailData{}},
		{"EmptyKind", "", "ada@example.com", gram.MailData{}},
		{"NoRecipient", gram.MailWelcome, " ", gram.MailData{}},
		{"ResetWithoutLink", gram.MailPasswordReset, "ada@example.com", gram.MailData{Expires: time.Hour}},
		{"ResetWithoutLifetime", gram.MailPasswordReset, "ada@example.com", gram.MailData{Link: resetLink}},
		{"ConfirmWithoutLink", gram.MailEmailConfirm, "ada@example.com", gram.MailData{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tpl.Render(tt.kind, tt.to, tt.data); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestTemplates_Brand(t *testing.T) {
	tpl, err := mail.NewTemplates(mail.Brand{Product: "Gram", ClientURL: "http://localhost:3000/", Signature: "Cheers, Gram"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tpl.Render(gram.MailWelcome, "a@example.com", gram.MailData{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Welcome to Gram", "http://localhost:3000/", "Cheers, Gram"} {
		if !strings.Contains(m.Text, w) && m.Subject != w {
			t.Errorf("lacks %q", w)
		}
	}
	m, _ = tpl.Render(gram.MailPasswordReset, "a@example.com", gram.MailData{Link: "http://localhost:3000/reset-password/x", Expires: time.Hour})
	if !strings.Contains(m.Text, "expires in 1 hour") {
		t.Errorf("expiry not told:\n%s", m.Text)
	}
}
