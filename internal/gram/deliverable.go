package gram

import (
	"context"
	"strings"
	"time"
)

// DomainChecker tells whether a mail domain can receive mail (it has an
// MX record, or else an address record). An error means the answer is
// unknown (DNS failure, timeout).
type DomainChecker interface {
	CanReceiveMail(ctx context.Context, domain string) (bool, error)
}

// domainCheckTimeout bounds the deliverability check of one request.
const domainCheckTimeout = 3 * time.Second

// checkDeliverable refuses an address whose domain surely cannot receive
// mail. It is off when s.domains is nil. A failed or slow lookup does not
// block the user: it is logged and the address accepted.
func (s *Service) checkDeliverable(ctx context.Context, email string) error {
	if s.domains == nil {
		return nil
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	ctx, cancel := context.WithTimeout(ctx, domainCheckTimeout)
	defer cancel()
	ok, err := s.domains.CanReceiveMail(ctx, domain)
	if err != nil {
		s.log.WarnContext(ctx, "mail domain check failed; accepting the address", "domain", domain, "err", err)
		return nil
	}
	if !ok {
		return Errorf(EINVALID, "This email domain cannot receive mail.")
	}
	return nil
}
