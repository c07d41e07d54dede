package mail

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// urlForms is what a MAIL_URL may be, for error messages.
const urlForms = "want log:DIR, smtp://[USER:PASS@]HOST[:PORT], smtps://... or ses:REGION"

// Transport names the transport mailURL selects: "log", "smtp", "smtps"
// or "ses" (lower case), or what stands before its first colon when that
// is none of them.
func Transport(mailURL string) string {
	scheme, _, _ := strings.Cut(mailURL, ":")
	if scheme = strings.ToLower(scheme); scheme == "" {
		return "log"
	}
	return scheme
}

// CheckURL reports what is wrong with mailURL, without contacting
// anything (Open does the same checks). Its errors name neither the
// package nor the variable, and never repeat the URL past its scheme,
// which may hold a password.
func CheckURL(mailURL string) error {
	if mailURL != "" && !strings.Contains(mailURL, ":") {
		return errors.New("has no scheme (is a ':' missing?): " + urlForms)
	}
	scheme := Transport(mailURL)
	switch scheme {
	case "log":
		return nil
	case "smtp", "smtps", "ses":
	default:
		return fmt.Errorf("unknown scheme %q: %s", scheme, urlForms)
	}
	u, err := url.Parse(mailURL)
	if err != nil {
		return errors.New("is not a valid URL: " + urlForms)
	}
	if scheme == "ses" {
		return checkSES(u)
	}
	return checkSMTP(u)
}

func checkSES(u *url.URL) error {
	if u.Host+u.Opaque == "" {
		return errors.New("ses needs a region: ses:REGION, e.g. ses:eu-west-1")
	}
	return nil
}

func checkSMTP(u *url.URL) error {
	if u.Opaque != "" || u.Hostname() == "" {
		return fmt.Errorf("%s needs a host: %s://[USER:PASS@]HOST[:PORT]", u.Scheme, u.Scheme)
	}
	switch tls := u.Query().Get("tls"); tls {
	case "", TLSOpportunistic, TLSRequired, TLSNone, TLSImplicit:
	default:
		return fmt.Errorf("unknown tls mode %q (want %s, %s, %s or %s)", tls, TLSOpportunistic, TLSRequired, TLSNone, TLSImplicit)
	}
	return nil
}

// CheckFrom reports what is wrong with the sender address from, with
// no prefix.
func CheckFrom(from string) error {
	_, err := parseAddr("from", from)
	return err
}
