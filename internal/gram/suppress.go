package gram

import "context"

// SuppressMail stops all mail to addrs (already normalised), for reason
// (SuppressBounce, SuppressComplaint): queued and future messages to them
// are given up unsent by the outbox sender.
func (s *Service) SuppressMail(ctx context.Context, reason string, addrs []string) error {
	for _, a := range addrs {
		if err := s.Store.SuppressMail(ctx, a, reason, s.now()); err != nil {
			return err
		}
	}
	if len(addrs) > 0 {
		s.Log.InfoContext(ctx, "mail: addresses suppressed", "reason", reason, "count", len(addrs))
	}
	return nil
}
