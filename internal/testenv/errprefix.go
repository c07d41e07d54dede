package testenv

import "strings"

// DoubledPrefix returns the prefix an error message repeats, like "mail"
// in "mail: MAIL_FROM: mail: bad address", or "" when it repeats none. A
// prefix is a colon-terminated part without spaces.
func DoubledPrefix(msg string) string {
	seen := map[string]bool{}
	parts := strings.Split(msg, ": ")
	for _, p := range parts[:len(parts)-1] {
		if strings.ContainsAny(p, " \n") {
			continue
		}
		key := strings.ToLower(p)
		if seen[key] {
			return p
		}
		seen[key] = true
	}
	return ""
}
