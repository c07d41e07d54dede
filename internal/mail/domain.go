package mail

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/instamern/gram/internal/gram"
)

// DomainCheck tells whether a domain can receive mail, from DNS: it can
// if it has an MX record other than the "null MX" of RFC 7505, or, without
// MX records, an address record (the implicit MX of RFC 5321 §5.1). Only
// a definite "no such records" answer is a no; failures and timeouts are
// errors, which the service treats as unknown.
type DomainCheck struct {
	Resolver *net.Resolver // nil means net.DefaultResolver
}

var _ gram.DomainChecker = (*DomainCheck)(nil)

// CanReceiveMail implements gram.DomainChecker. ctx bounds the lookups.
func (c *DomainCheck) CanReceiveMail(ctx context.Context, domain string) (bool, error) {
	r := c.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	// Absolute, so that the resolver never tries the local search list.
	fqdn := strings.TrimSuffix(domain, ".") + "."
	mx, err := r.LookupMX(ctx, fqdn)
	switch {
	case err == nil && len(mx) > 0:
		return !(len(mx) == 1 && strings.Trim(mx[0].Host, ".") == ""), nil
	case err != nil && !notFound(err):
		return false, err
	}
	ips, err := r.LookupNetIP(ctx, "ip", fqdn)
	switch {
	case err == nil:
		return len(ips) > 0, nil
	case notFound(err):
		return false, nil
	}
	return false, err
}

// notFound reports a DNS answer that the name or its records do not exist.
func notFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}
