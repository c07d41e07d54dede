package mail

import "strings"

// maskAddress shortens an address for the log: the first character of the
// local part and the domain ("a***@example.com"), enough to tell
// deliveries apart and spot a provider's trouble without writing users'
// addresses into logs, which are kept longer and read by more people than
// the database. The outbox id logged next to it finds the full record.
func maskAddress(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 1 {
		return "***"
	}
	return addr[:1] + "***" + addr[at:]
}
