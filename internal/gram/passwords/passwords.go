// Package passwords holds an embedded list of the most common breached
// passwords (common-10k.txt, made by gen.sh; source and licence are in its
// header), for the NIST SP 800-63B check that a new password is not one an
// attacker tries first.
package passwords

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed common-10k.txt
var list string

// set is the list as a map, built on first use.
var set = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for line := range strings.Lines(list) {
		line = strings.TrimRight(line, "\r\n")
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = struct{}{}
		}
	}
	return m
})

// Common reports whether pw is one of the 10,000 most common passwords,
// ignoring case ("Password1" is as weak as "password1").
func Common(pw string) bool {
	_, ok := set()[strings.ToLower(pw)]
	return ok
}

// Len is the number of passwords in the list.
func Len() int { return len(set()) }
