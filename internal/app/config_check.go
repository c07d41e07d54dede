package app

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/instamern/gram/internal/mail"
)

// httpURL checks that v is an absolute http or https URL with a host.
func httpURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http:// or https:// URL, not %q", RedactURL(v))
	}
	return nil
}

// optionalHTTPURL is httpURL for a setting that may be unset.
func optionalHTTPURL(v string) error {
	if v == "" {
		return nil
	}
	return httpURL(v)
}

// isLocalURL reports whether the URL's host is this machine: localhost
// (or a name under .localhost), a loopback or unspecified address.
func isLocalURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// unsafeProduction lists the settings made for a laptop that production
// refuses unless ALLOW_UNSAFE_PRODUCTION is set, each with its
// consequence.
func (c Config) unsafeProduction() []string {
	var w []string
	if isLocalURL(c.PublicURL) {
		w = append(w, "PUBLIC_URL is "+c.PublicURL+", so media links will not load outside this machine")
	}
	if isLocalURL(c.ClientURL) {
		w = append(w, "CLIENT_URL is "+c.ClientURL+", so links in emails will not open outside this machine")
	}
	if mail.Transport(c.MailURL) == "log" {
		w = append(w, "MAIL_URL is "+c.MailURL+", so mail (password resets) is written to a folder, not delivered")
	}
	return w
}

// refuseUnsafeProduction is the error of production with unsafe
// settings and no override.
func (c Config) refuseUnsafeProduction() error {
	if !c.Production() || c.AllowUnsafe {
		return nil
	}
	var errs []error
	for _, w := range c.unsafeProduction() {
		errs = append(errs, errors.New(w+": production refuses this unless ALLOW_UNSAFE_PRODUCTION=true"))
	}
	return errors.Join(errs...)
}
