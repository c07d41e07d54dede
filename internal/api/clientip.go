package api

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// PrivateNetworks are loopback and private address ranges: what
// TRUST_PROXY=true trusts (a proxy on the same host or network).
var PrivateNetworks = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7"),
}

// clientIP is the address of whoever sent the request. Forwarding headers
// count only when the direct peer is a trusted proxy; then the client is
// the right-most address of the chain that is not itself a trusted proxy.
// Everything to its left was written by the client and may be forged.
// Only the configured header is read (X-Forwarded-For by default, or
// RFC 7239 Forwarded): a proxy passes the other one on untouched, so a
// client could forge it.
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !s.trusted(peer) {
		return peer.String()
	}
	var chain []string
	if strings.EqualFold(s.cfg.ForwardedHeader, "Forwarded") {
		chain = forwardedFor(r.Header.Values("Forwarded"))
	} else {
		chain = splitComma(r.Header.Values("X-Forwarded-For"))
	}
	ip := peer
	for i := len(chain) - 1; i >= 0; i-- {
		a, ok := parseNodeAddr(chain[i])
		if !ok {
			break // garbage: trust no further than the proxy that passed it on
		}
		ip = a
		if !s.trusted(a) {
			break
		}
	}
	return ip.String()
}

// trusted reports whether a is one of the configured proxies.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// parseNodeAddr parses one hop: an address, optionally with a port, IPv6
// optionally in brackets, optionally quoted (Forwarded). Zones, "unknown"
// and obfuscated identifiers are not addresses.
func parseNodeAddr(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		s = ap.Addr().String()
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func splitComma(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// forwardedFor returns the for= parameter of every element of RFC 7239
// Forwarded headers, in order ("" for an element without one).
func forwardedFor(values []string) []string {
	var out []string
	for _, elem := range splitComma(values) {
		v := ""
		for pair := range strings.SplitSeq(elem, ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(pair), "="); ok && strings.EqualFold(k, "for") {
				v = val
			}
		}
		out = append(out, v)
	}
	return out
}
