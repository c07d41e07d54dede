package mail

import (
	"context"
	"fmt"
)

// Check tells whether the SMTP server takes mail from us, without sending
// any: it connects, says EHLO (with STARTTLS and AUTH as a delivery
// would, so that bad credentials show), then NOOP and QUIT. ctx bounds
// the whole exchange.
func (s *SMTP) Check(ctx context.Context) error {
	c, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
	}
	defer c.Close()
	if err := s.hello(c); err != nil {
		return fmt.Errorf("mail: smtp %s: %w", s.Addr, err)
	}
	if err := c.Noop(); err != nil {
		return fmt.Errorf("mail: smtp %s: NOOP: %w", s.Addr, err)
	}
	return c.Quit()
}
