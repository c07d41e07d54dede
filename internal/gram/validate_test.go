package gram

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// User text is stored as typed (markup included: escaping is the
// renderer's job), in NFC, without control characters, trimmed.
func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello world", "hello world"},
		{"trims", "  hi \n", "hi"},
		{"keeps ampersand", "Tom & Jerry", "Tom & Jerry"},
		{"keeps comparisons", "if a<b && b>c then", "if a<b && b>c then"},
		{"keeps escapes as typed", "x<y and y>z; 2 &lt; 3", "x<y and y>z; 2 &lt; 3"},
		{"keeps markup", "<script>alert(1)</script>", "<script>alert(1)</script>"},
		{"keeps quotes", `"><img src=x onerror=alert(1)>`, `"><img src=x onerror=alert(1)>`},
		{"drops control characters", "a\x00b\x07c\x1b[31m\u0085d\x7f", "abc[31md"},
		{"keeps newlines and tabs", "a\nb\tc", "a\nb\tc"},
		{"CR LF is a newline", "a\r\nb\rc", "a\nb\nc"},
		{"invalid utf-8 removed", "a\xffb", "ab"},
		{"unicode kept", "héllo 👋 \u202eevil", "héllo 👋 \u202eevil"},
		{"NFC", "e\u0301te\u0301", "\u00e9t\u00e9"},
		{"NFC keeps compatibility forms", "ｆｕｌｌ ﬁ", "ｆｕｌｌ ﬁ"},
		{"only controls", "\x00\x01 \r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Fatalf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// One-line text (names) is CleanText with line breaks and tabs as spaces.
func TestCleanLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Ada", "Ada"},
		{"markup kept", "<b>Ada</b>", "<b>Ada</b>"},
		{"line breaks are spaces", "Ada\r\nMary\nLou\tX", "Ada Mary Lou X"},
		{"trims", "\n Ada \t", "Ada"},
		{"drops other controls", "A\x00d\x1ba", "Ada"},
		{"NFC", "Ame\u0301lie", "Am\u00e9lie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanLine(tt.in); got != tt.want {
				t.Fatalf("CleanLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// The NFC form is what the length limits count: a decomposed "é" is one
// character, as its composed form is.
func TestCleanTextCountsComposedCharacters(t *testing.T) {
	decomposed := strings.Repeat("e\u0301", CaptionMax)
	if n := utf8.RuneCountInString(CleanText(decomposed)); n != CaptionMax {
		t.Fatalf("%d characters after NFC, want %d", n, CaptionMax)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name string
		run  func(p *problems)
		want string
	}{
		{"name required", func(p *problems) { p.checkLen("", "Firstname", NameMin, NameMax) }, "Firstname is required."},
		{"name short", func(p *problems) { p.checkLen("A", "Firstname", NameMin, NameMax) }, "Firstname cannot be shorter than 2 characters."},
		{"name long", func(p *problems) { p.checkLen(strings.Repeat("a", 17), "Lastname", NameMin, NameMax) }, "Lastname cannot be longer than 16 characters."},
		{"name counts runes", func(p *problems) { p.checkLen(strings.Repeat("é", 16), "Lastname", NameMin, NameMax) }, ""},
		{"username ok", func(p *problems) { p.checkUsername("al_ice.1") }, ""},
		{"username charset", func(p *problems) { p.checkUsername("al/ice") }, "@username may contain only letters, numbers, dots and underscores."},
		{"username short", func(p *problems) { p.checkUsername("al") }, "@username cannot be shorter than 3 characters."},
		{"password ok", func(p *problems) { p.checkPassword("long enough", "long enough", "", "") }, ""},
		{"password short and unconfirmed", func(p *problems) { p.checkPassword("short", "", "", "") },
			"Password cannot be shorter than 8 characters. Please confirm your password."},
		{"password mismatch", func(p *problems) { p.checkPassword("long enough", "long enougH", "", "") }, "Password doesn't match."},
		{"password missing", func(p *problems) { p.checkPassword("", "", "", "") }, "Password is required. Please confirm your password."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p problems
			tt.run(&p)
			got := ""
			if err := p.err(); err != nil {
				if ErrorCode(err) != EINVALID {
					t.Fatalf("code = %q, want invalid", ErrorCode(err))
				}
				got = ErrorMessage(err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPasswordPolicy is the NIST SP 800-63B policy: 8 to 128 characters
// (passphrases welcome, no composition rules), not containing the username
// or the email's local part, not a common password.
func TestPasswordPolicy(t *testing.T) {
	const user, email = "alice", "wonder.land@example.com"
	tests := []struct {
		name, pw, want string
	}{
		{"ok", "tulip orbit lantern", ""},
		{"exactly 8", "zq7-vk2p", ""},
		{"7 is short", "zq7-vk2", "Password cannot be shorter than 8 characters."},
		{"64-char passphrase", strings.Repeat("correct horse battery staple ", 3)[:64], ""},
		{"128 is the maximum", strings.Repeat("xk9-", 32), ""},
		{"129 is long", strings.Repeat("xk9-", 32) + "x", "Password cannot be longer than 128 characters."},
		{"length counts characters", strings.Repeat("é", 8), ""},
		{"only lowercase letters is fine", "quietlyorbiting", ""},
		{"equals username", "alice", "Password cannot be shorter than 8 characters."},
		{"contains username", "xx-alice-2024", "Password cannot contain your username."},
		{"contains username any case", "MyAliCE!pass", "Password cannot contain your username."},
		{"contains email local part", "Wonder.Land99", "Password cannot contain the name of your email address."},
		{"contains email domain is fine", "example-orbit-42", ""},
		{"common", "password123", "This password is one of the most commonly used passwords. Please choose a less guessable one."},
		{"common any case", "QwertyUIOP", "This password is one of the most commonly used passwords. Please choose a less guessable one."},
		{"common long", "1234567890", "This password is one of the most commonly used passwords. Please choose a less guessable one."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p problems
			p.checkPassword(tt.pw, tt.pw, user, email)
			got := ""
			if err := p.err(); err != nil {
				got = ErrorMessage(err)
			}
			if got != tt.want {
				t.Fatalf("checkPassword(%q) = %q, want %q", tt.pw, got, tt.want)
			}
		})
	}
	t.Run("short names are not checked", func(t *testing.T) {
		if msg := passwordContentProblem("xx-al-yy-zz", "al", "jo@example.com"); msg != "" {
			t.Fatalf("a 2-character name refused the password: %q", msg)
		}
		if msg := passwordContentProblem("jo-orbit-42", "bob", "jo@example.com"); msg != "" {
			t.Fatalf("a 2-character email local part refused the password: %q", msg)
		}
	})
}
