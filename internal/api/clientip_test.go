package api

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientIP: forwarding headers count only from a trusted peer, and
// then the client is the right-most hop that is not a trusted proxy, so
// whatever a client writes into the header itself is ignored.
func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	tests := []struct {
		name    string
		proxies []netip.Prefix
		header  string // "" = X-Forwarded-For
		remote  string
		values  []string
		want    string
	}{
		{"NoProxiesIgnoresHeader", nil, "", "203.0.113.9:5555", []string{"1.2.3.4"}, "203.0.113.9"},
		{"UntrustedPeerIgnoresHeader", proxies, "", "203.0.113.9:5555", []string{"1.2.3.4"}, "203.0.113.9"},
		{"TrustedPeerNoHeader", proxies, "", "10.0.0.1:5555", nil, "10.0.0.1"},
		{"OneHop", proxies, "", "10.0.0.1:5555", []string{"198.51.100.7"}, "198.51.100.7"},
		{"SpoofedLeftIgnored", proxies, "", "10.0.0.1:5555", []string{"1.1.1.1, 198.51.100.7"}, "198.51.100.7"},
		{"SpoofedTrustedAddress", proxies, "", "10.0.0.1:5555", []string{"10.9.9.9, 198.51.100.7"}, "198.51.100.7"},
		{"ChainOfProxies", proxies, "", "10.0.0.1:5555", []string{"1.1.1.1, 198.51.100.7, 10.0.0.5, 10.0.0.6"}, "198.51.100.7"},
		{"SeveralHeaderLines", proxies, "", "10.0.0.1:5555", []string{"1.1.1.1", "198.51.100.7, 10.0.0.5"}, "198.51.100.7"},
		{"AllTrusted", proxies, "", "10.0.0.1:5555", []string{"10.0.0.7, 10.0.0.5"}, "10.0.0.7"},
		{"GarbageStopsAtProxy", proxies, "", "10.0.0.1:5555", []string{"198.51.100.7, not-an-ip, 10.0.0.5"}, "10.0.0.5"},
		{"GarbageRightMost", proxies, "", "10.0.0.1:5555", []string{"198.51.100.7, <script>"}, "10.0.0.1"},
		{"Empty", proxies, "", "10.0.0.1:5555", []string{""}, "10.0.0.1"},
		{"WithPort", proxies, "", "10.0.0.1:5555", []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"IPv6", proxies, "", "[2001:db8::1]:443", []string{"2001:db8:cafe::17, 2001:db8::2"}, "2001:db8:cafe::17"},
		{"IPv6Client", proxies, "", "10.0.0.1:5555", []string{"2a00:1450::1"}, "2a00:1450::1"},
		{"IPv4MappedPeer", proxies, "", "[::ffff:10.0.0.1]:5555", []string{"198.51.100.7"}, "198.51.100.7"},
		{"ZoneIsGarbage", proxies, "", "10.0.0.1:5555", []string{"fe80::1%eth0"}, "10.0.0.1"},
		{"ForwardedIgnoredWhenXFF", proxies, "", "10.0.0.1:5555", nil, "10.0.0.1"},
		{"Forwarded", proxies, "Forwarded", "10.0.0.1:5555", []string{`for=1.1.1.1, for=198.51.100.7;proto=https;by=10.0.0.1`}, "198.51.100.7"},
		{"ForwardedIPv6Quoted", proxies, "Forwarded", "10.0.0.1:5555", []string{`For="[2001:db8:cafe::17]:4711"`}, "2001:db8:cafe::17"},
		{"ForwardedUnknown", proxies, "Forwarded", "10.0.0.1:5555", []string{`for=198.51.100.7, for=unknown`}, "10.0.0.1"},
		{"ForwardedObfuscated", proxies, "Forwarded", "10.0.0.1:5555", []string{`for=_hidden`}, "10.0.0.1"},
		{"ForwardedNoFor", proxies, "Forwarded", "10.0.0.1:5555", []string{`proto=https`}, "10.0.0.1"},
		{"ForwardedUntrustedPeer", proxies, "Forwarded", "203.0.113.9:1", []string{`for=1.2.3.4`}, "203.0.113.9"},
		{"TrustProxyCompat", PrivateNetworks, "", "127.0.0.1:5555", []string{"1.1.1.1, 198.51.100.7, 192.168.1.2"}, "198.51.100.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{cfg: Config{TrustedProxies: tt.proxies, ForwardedHeader: tt.header}}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			name := "X-Forwarded-For"
			if tt.header == "Forwarded" {
				name = "Forwarded"
			} else if tt.name == "ForwardedIgnoredWhenXFF" {
				// A proxy that writes X-Forwarded-For passes a client's
				// Forwarded header through: it must not count.
				r.Header.Add("Forwarded", "for=1.2.3.4")
			}
			for _, v := range tt.values {
				r.Header.Add(name, v)
			}
			if got := s.clientIP(r); got != tt.want {
				t.Fatalf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("ForwardedHeaderIgnoresXFF", func(t *testing.T) {
		s := &Server{cfg: Config{TrustedProxies: proxies, ForwardedHeader: "Forwarded"}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:5555"
		r.Header.Set("X-Forwarded-For", "1.2.3.4")
		if got := s.clientIP(r); got != "10.0.0.1" {
			t.Fatalf("clientIP = %q, want the proxy (X-Forwarded-For is not the configured header)", got)
		}
	})
}
