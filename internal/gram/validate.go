package gram

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/instamern/gram/internal/gram/passwords"
)

// Field limits. Names and username lengths are the original's (the client
// pre-validates the same ranges); bio and comment limits are new. The
// password maximum is 128 rather than the original's 24, so passphrases
// fit (NIST SP 800-63B asks for at least 64); the bound keeps hashing cheap
// to refuse.
const (
	NameMin, NameMax         = 2, 16
	UsernameMin, UsernameMax = 3, 12
	PasswordMin, PasswordMax = 8, 128
	BioMax                   = 150
	CaptionMax               = 256
	CommentMax               = 2200
	EmailMax                 = 254
)

// problems collects validation messages in field order; the client shows
// them joined by single spaces, as the original did.
type problems []string

func (p *problems) add(msg string) { *p = append(*p, msg) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: strings.Join(p, " ")}
}

// checkLen adds the original's required/shorter/longer messages for label.
func (p *problems) checkLen(v, label string, minLen, maxLen int) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0:
		p.add(label + " is required.")
	case n < minLen:
		p.add(label + " cannot be shorter than " + strconv.Itoa(minLen) + " characters.")
	case n > maxLen:
		p.add(label + " cannot be longer than " + strconv.Itoa(maxLen) + " characters.")
	}
}

// checkUsername validates a normalised (trimmed, lowercased) username.
func (p *problems) checkUsername(u string) {
	n := len(*p)
	p.checkLen(u, "@username", UsernameMin, UsernameMax)
	if len(*p) > n {
		return
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			p.add("@username may contain only letters, numbers, dots and underscores.")
			return
		}
	}
}

// checkPassword validates a new password and its confirmation, the NIST
// SP 800-63B way: a length range that admits long passphrases, not the
// account's own username or email name, not a common breached password.
// No composition rules. username and email are the account's (normalised;
// empty when unknown yet); only the first broken password rule is reported.
func (p *problems) checkPassword(pw, confirm, username, email string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		p.add("Password is required.")
	case n < PasswordMin:
		p.add("Password cannot be shorter than " + strconv.Itoa(PasswordMin) + " characters.")
	case n > PasswordMax:
		p.add("Password cannot be longer than " + strconv.Itoa(PasswordMax) + " characters.")
	default:
		if msg := passwordContentProblem(pw, username, email); msg != "" {
			p.add(msg)
		}
	}
	switch {
	case confirm == "":
		p.add("Please confirm your password.")
	case confirm != pw:
		p.add("Password doesn't match.")
	}
}

// passwordContentProblem is the message for a password that contains the
// username or the email's local part (case-insensitively, when that part
// has at least 3 characters), or is a common password; "" when it is fine.
func passwordContentProblem(pw, username, email string) string {
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case len(username) >= 3 && strings.Contains(lower, strings.ToLower(username)):
		return "Password cannot contain your username."
	case utf8.RuneCountInString(local) >= 3 && strings.Contains(lower, local):
		return "Password cannot contain the name of your email address."
	case passwords.Common(pw):
		return "This password is one of the most commonly used passwords. Please choose a less guessable one."
	}
	return ""
}

// NormalizeUsername trims and lowercases a username.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CleanText normalises multi-line user text (a bio, caption, comment or
// staff reason) for storage; see cleanText.
func CleanText(s string) string { return cleanText(s, true) }

// CleanLine normalises one-line user text (a first or last name) for
// storage: as CleanText, but a line break or tab becomes a space.
func CleanLine(s string) string { return cleanText(s, false) }

// cleanText keeps text as the person typed it, in one canonical form:
// invalid UTF-8 dropped, line breaks as "\n" (from CR LF or a lone CR),
// control characters other than newline and tab removed, Unicode NFC
// (so that a composed and a decomposed "é" are the same text and count as
// one character), and surrounding white space trimmed. Markup is text like
// any other: "a<b" stays "a<b". Escaping is the renderer's job
// (encoding/json escapes <, > and &; React and html/template escape).
func cleanText(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "")
	s = crlf.Replace(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case !unicode.IsControl(r):
			return r
		case r == '\n' || r == '\t':
			if multiline {
				return r
			}
			return ' '
		}
		return -1
	}, s)
	return strings.TrimSpace(norm.NFC.String(s))
}

// crlf turns CR LF and lone CR line breaks into LF.
var crlf = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// truncate cuts s to at most n bytes without splitting a rune.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clientText makes a value the client chose outside any validation (a
// User-Agent header) storable and displayable: HTTP allows any byte above
// 0x7f in a header, so invalid UTF-8 is dropped (PostgreSQL refuses it),
// as are control characters; then it is cut to at most n bytes.
func clientText(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return truncate(s, n)
}
