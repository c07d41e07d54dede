package gram

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// NormalizeEmail is the one email rule: NFKC, lowercase ASCII local part,
// IDNA domain whose labels each use one script.
func TestNormalizeEmail(t *testing.T) {
	mixedLabel, err := idna.Punycode.ToASCII("ex\u0430mple") // Latin with a Cyrillic "а"
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"lowercased", "Alice@Example.COM", "alice@example.com", true},
		{"trimmed", "  bob@example.org ", "bob@example.org", true},
		{"plus and dots", "a.b+tag@sub.example.co", "a.b+tag@sub.example.co", true},
		{"fullwidth", "ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "alice@example.com", true},
		{"fullwidth uppercase", "ＡＬＩＣＥ@EXAMPLE.COM", "alice@example.com", true},
		{"mathematical letters", "\U0001d41alice@example.com", "alice@example.com", true},
		{"Kelvin sign", "\u212aate@example.com", "kate@example.com", true},
		{"ideographic full stop", "alice@example\u3002com", "alice@example.com", true},
		{"IDN domain to punycode", "j@MÜNCHEN.de", "j@xn--mnchen-3ya.de", true},
		{"one-script Cyrillic domain", "ivan@пример.рф", "ivan@xn--e1afmkfd.xn--p1ai", true},
		{"Han with kana", "a@日本語ひらがな.jp", "a@xn--v8j0cwa6g1563acvb2w6i.jp", true},
		{"punycode typed as such", "ivan@XN--E1AFMKFD.xn--p1ai", "ivan@xn--e1afmkfd.xn--p1ai", true},
		{"Cyrillic a in local part", "\u0430lice@example.com", "", false},
		{"Cyrillic a in domain", "alice@ex\u0430mple.com", "", false},
		{"mixed label as punycode", "alice@" + mixedLabel + ".com", "", false},
		{"Greek omicron in domain", "alice@g\u03bfogle.com", "", false},
		{"non-ASCII local part", "jürgen@example.com", "", false},
		{"zero-width space", "al\u200bice@example.com", "", false},
		{"bad hyphen", "a@-bad.com", "", false},
		{"empty", "", "", false},
		{"no at", "alice", "", false},
		{"no dot", "alice@localhost", "", false},
		{"display name", "Alice <alice@example.com>", "", false},
		{"trailing dot", "a@b.", "", false},
		{"quoted", `"a b"@example.com`, "", false},
		{"header injection", "a@b.c\r\nbcc:x@y.z", "", false},
		{"too long", strings.Repeat("a", 250) + "@x.io", "", false},
		{"huge", strings.Repeat("a", 5000) + "@x.io", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeEmail(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Fatalf("NormalizeEmail(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if !ok {
				return
			}
			if again, ok := NormalizeEmail(got); !ok || again != got {
				t.Fatalf("not a fixed point: NormalizeEmail(%q) = %q, %v", got, again, ok)
			}
		})
	}
	if got, _ := NormalizeEmail("  "); got != "" {
		t.Errorf("blank input normalised to %q, want empty (callers tell a missing address by it)", got)
	}
}
