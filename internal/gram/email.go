package gram

import (
	"net/mail"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail is the one rule for email addresses: every path that
// takes one (signup, admin create, forgot-password, change-email, the
// reset-mail limiter, bounce reports) goes through it, so that two
// spellings of one mailbox are one address, and an address that only
// looks like another is refused or visibly different.
//
//   - Unicode NFKC, then trimmed: fullwidth and other compatibility forms
//     become plain characters ("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ" is
//     "alice@example.com").
//   - The local part is lowercased and must be ASCII: a Cyrillic "а" in
//     "аlice" is refused, not taken as a new address.
//   - The domain is converted to ASCII by IDNA (UTS 46 lookup mapping,
//     lowercase, Punycode "xn--" labels), and no label may mix scripts
//     ("exаmple" with a Cyrillic "а" is refused; "пример.рф" in Cyrillic
//     alone is kept, as "xn--e1afmkfd.xn--p1ai").
//   - The result must be a plain address (no display name, no quotes or
//     comments) of at most EmailMax bytes with a dotted domain.
//
// The second result reports whether the address is valid; when it is
// not, the first is the trimmed, lowercased input, so that a caller can
// still tell an empty one.
func NormalizeEmail(s string) (string, bool) {
	if len(s) > 4*EmailMax { // no address, however written: spare the mapping
		return strings.ToLower(strings.TrimSpace(s)), false
	}
	s = strings.TrimSpace(norm.NFKC.String(s))
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return strings.ToLower(s), false
	}
	local := strings.ToLower(s[:at])
	domain, ok := emailDomain(s[at+1:])
	addr := local + "@" + domain
	if !ok || !isASCII(local) || !plainAddress(addr) {
		return strings.ToLower(s), false
	}
	return addr, true
}

// emailDomain is the ASCII form of an address's domain, and whether it
// is a valid one whose labels each use one script.
func emailDomain(d string) (string, bool) {
	ascii, err := emailIDNA.ToASCII(d)
	if err != nil || !strings.Contains(ascii, ".") || strings.HasSuffix(ascii, ".") {
		return "", false
	}
	uni, err := emailIDNA.ToUnicode(ascii)
	if err != nil {
		return "", false
	}
	for label := range strings.SplitSeq(uni, ".") {
		if mixesScripts(label) {
			return "", false
		}
	}
	return ascii, true
}

// emailIDNA is UTS 46 lookup processing with every validity check.
var emailIDNA = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true),
	idna.CheckHyphens(true), idna.CheckJoiners(true), idna.Transitional(false))

// plainAddress reports whether addr (ASCII) is a bare address as
// net/mail reads it, without the quoted or commented forms it also takes.
func plainAddress(addr string) bool {
	if len(addr) > EmailMax || strings.ContainsAny(addr, " \"(),:;<>[\\]") {
		return false
	}
	a, err := mail.ParseAddress(addr)
	return err == nil && a.Address == addr && a.Name == ""
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// mixesScripts reports whether the letters of s come from more than one
// script. Han, Hiragana, Katakana, Hangul and Bopomofo count as one, as
// Japanese, Korean and Chinese names mix them; digits, hyphens and
// combining marks belong to no script.
func mixesScripts(s string) bool {
	seen := ""
	for _, r := range s {
		if r < 0x80 && !unicode.IsLetter(r) {
			continue
		}
		sc := scriptOf(r)
		if sc == "" {
			continue
		}
		if seen != "" && sc != seen {
			return true
		}
		seen = sc
	}
	return false
}

// scriptOf names the script of a letter, "" for characters of no script
// (Common, Inherited).
func scriptOf(r rune) string {
	if r < 0x80 {
		return "Latin"
	}
	for name, table := range unicode.Scripts {
		if !unicode.Is(table, r) {
			continue
		}
		switch name {
		case "Common", "Inherited":
			return ""
		case "Hiragana", "Katakana", "Hangul", "Bopomofo":
			return "Han"
		}
		return name
	}
	return ""
}
