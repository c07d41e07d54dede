package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/instamern/gram/internal/gram"
)

//go:embed templates/*.html templates/*.txt
var templateFS embed.FS

// Brand is what the templates say about the product. Zero fields get
// defaults from DefaultBrand.
type Brand struct {
	Product   string // product name, e.g. "InstaMERN"
	ClientURL string // web client origin, the default button link
	Signature string // closing line, e.g. "The InstaMERN team"
}

// DefaultBrand is the original's branding.
var DefaultBrand = Brand{
	Product:   "InstaMERN",
	ClientURL: "https://instamern.netlify.app",
}

// needs is what a mail kind cannot do without.
type needs struct {
	link    bool // a reset or confirmation mail without its link is useless; notices fall back to the client URL
	expires bool // the template tells how long the link works, which only the service knows
}

// kinds lists the mail kinds and what each needs.
var kinds = map[string]needs{
	gram.MailWelcome:         {},
	gram.MailPasswordReset:   {link: true, expires: true},
	gram.MailPasswordChanged: {},
	gram.MailEmailConfirm:    {link: true},
	gram.MailEmailChanging:   {},
	gram.MailEmailChanged:    {},
}

// Templates renders gram's emails from the embedded templates. It is safe
// for concurrent use.
type Templates struct {
	brand Brand
	html  map[string]*htmltemplate.Template
	text  map[string]*texttemplate.Template
}

var _ gram.MailRenderer = (*Templates)(nil)

// NewTemplates parses the embedded templates of every kind.
func NewTemplates(b Brand) (*Templates, error) {
	t := &Templates{
		brand: b.withDefaults(),
		html:  make(map[string]*htmltemplate.Template),
		text:  make(map[string]*texttemplate.Template),
	}
	for kind := range kinds {
		h, err := htmltemplate.ParseFS(templateFS, "templates/layout.html", "templates/"+kind+".html")
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s html: %w", kind, err)
		}
		x, err := texttemplate.ParseFS(templateFS, "templates/layout.txt", "templates/"+kind+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s text: %w", kind, err)
		}
		t.html[kind], t.text[kind] = h, x
	}
	return t, nil
}

func (b Brand) withDefaults() Brand {
	if b.Product == "" {
		b.Product = DefaultBrand.Product
	}
	if b.ClientURL == "" {
		b.ClientURL = DefaultBrand.ClientURL
	}
	b.ClientURL = strings.TrimRight(b.ClientURL, "/")
	if b.Signature == "" {
		b.Signature = "The " + b.Product + " team"
	}
	return b
}

// view is what a template sees.
type view struct {
	gram.MailData
	Brand   Brand
	To      string
	Name    string // how to greet: first name, else username
	Subject string
	Action  string // button label
	Expiry  string // data.Expires in words: "10 minutes"
}

// Render implements gram.MailRenderer. The returned message has no ID: the
// caller (the outbox) assigns it.
func (t *Templates) Render(kind, to string, data gram.MailData) (gram.Message, error) {
	need, ok := kinds[kind]
	if !ok {
		return gram.Message{}, fmt.Errorf("mail: unknown mail kind %q", kind)
	}
	if strings.TrimSpace(to) == "" {
		return gram.Message{}, errors.New("mail: no recipient")
	}
	if need.expires && data.Expires <= 0 {
		return gram.Message{}, fmt.Errorf("mail: %s needs the link's lifetime", kind)
	}
	if data.Link == "" {
		if need.link {
			return gram.Message{}, fmt.Errorf("mail: %s needs a link", kind)
		}
		data.Link = t.brand.ClientURL + "/"
	}
	if !isWebURL(data.Link) {
		return gram.Message{}, fmt.Errorf("mail: %s link is not an http(s) URL", kind)
	}
	v := view{
		MailData: data,
		Brand:    t.brand,
		To:       to,
		Name:     firstNonBlank(data.Firstname, data.Username),
		Expiry:   humanDuration(data.Expires),
	}
	return t.execute(kind, v)
}

func (t *Templates) execute(kind string, v view) (gram.Message, error) {
	text := t.text[kind]
	subject, err := executeText(text, "subject", v)
	if err != nil {
		return gram.Message{}, err
	}
	// Subjects are one line, whatever a template or a name holds.
	v.Subject = strings.Join(strings.Fields(subject), " ")
	v.Action = v.Subject
	if text.Lookup("action") != nil {
		if v.Action, err = executeText(text, "action", v); err != nil {
			return gram.Message{}, err
		}
	}
	body, err := executeText(text, "layout", v)
	if err != nil {
		return gram.Message{}, err
	}
	var html bytes.Buffer
	if err := t.html[kind].ExecuteTemplate(&html, "layout", v); err != nil {
		return gram.Message{}, fmt.Errorf("mail: render %s html: %w", kind, err)
	}
	return gram.Message{To: v.To, Subject: v.Subject, HTML: html.String(), Text: body + "\n"}, nil
}

func executeText(t *texttemplate.Template, name string, v view) (string, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("mail: render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// isWebURL reports whether s is an absolute http or https URL: anything
// else in a button (javascript:, a relative path) is a bug or an attack.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// humanDuration says d in whole minutes or hours: "10 minutes", "1 hour".
func humanDuration(d time.Duration) string {
	n, unit := int(d.Round(time.Minute)/time.Minute), "minute"
	if n >= 60 && n%60 == 0 {
		n, unit = n/60, "hour"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}
