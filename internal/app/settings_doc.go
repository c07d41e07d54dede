package app

import (
	"fmt"
	"io"
	"net/url"
	"strings"
)

// WriteSettingsHelp writes every setting of the table, by group, with its
// default and meaning: the environment part of `gramd help`.
func WriteSettingsHelp(w io.Writer) {
	for i, g := range Groups() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s:\n", g.Name)
		for _, s := range g.Settings {
			fmt.Fprintf(w, "  %s (default: %s)\n", s.Name, DefaultText(s))
			for _, line := range wrap(s.Meaning, 94) {
				fmt.Fprintf(w, "      %s\n", line)
			}
		}
	}
}

// DefaultText is how help shows the default of s: ${NAME} references as
// $NAME, and "none" when there is no default.
func DefaultText(s Setting) string {
	switch {
	case s.DefaultDoc != "":
		return s.DefaultDoc
	case s.Default == "":
		return "none"
	}
	return strings.NewReplacer("${", "$", "}", "").Replace(s.Default)
}

// WriteEffective writes the effective value of every setting of c and
// where it came from, secrets masked: `gramd config check`.
func WriteEffective(w io.Writer, c Config) {
	width := 0
	for _, v := range c.values {
		width = max(width, len(v.Name))
	}
	for _, v := range c.values {
		shown := Masked(v.Setting, v.Value)
		if shown == "" {
			shown = "(unset)"
		}
		fmt.Fprintf(w, "%-*s  %s  [%s]\n", width, v.Name, shown, v.Source)
	}
}

// secretMask replaces a secret value.
const secretMask = "xxxxx"

// Masked is v as it may be shown: a secret setting's value is replaced
// by a mask, and in any URL the password and the query parameters that
// carry credentials are.
func Masked(s Setting, v string) string {
	if v == "" {
		return ""
	}
	if s.Secret {
		return secretMask
	}
	return RedactURL(v)
}

// RedactURL masks the password of a URL and its query parameters that
// carry credentials (password, secret, token, key, signature); anything
// that is not a URL with a scheme and a host is returned as it is.
func RedactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return v
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), secretMask)
	}
	q, changed := u.Query(), false
	for k := range q {
		if sensitiveParam(k) {
			q.Set(k, secretMask)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func sensitiveParam(k string) bool {
	k = strings.ToLower(k)
	for _, word := range []string{"pass", "secret", "token", "key", "signature", "credential"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

// wrap breaks text into lines of at most width bytes, between words.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
