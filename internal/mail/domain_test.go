package mail_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/instamern/gram/internal/mail"
)

// zone is what the test DNS server knows about one name.
type zone struct {
	mx       []string // MX hosts ("." is the null MX)
	a        []netip.Addr
	rcode    dnsmessage.RCode // answer with this code and no records when not success
	blackout bool             // never answer (a timeout)
}

// serveDNS answers queries on a loopback UDP port from zones (names are
// absolute, lowercase); unknown names are NXDOMAIN. It returns a resolver
// that talks only to it.
func serveDNS(t *testing.T, zones map[string]zone) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out, ok := answerDNS(buf[:n], zones); ok {
				pc.WriteTo(out, from)
			}
		}
	}()
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

func answerDNS(req []byte, zones map[string]zone) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(req)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	z, known := zones[strings.ToLower(q.Name.String())] // names are case-insensitive
	if z.blackout {
		return nil, false
	}
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	switch {
	case !known:
		rh.RCode = dnsmessage.RCodeNameError
	case z.rcode != dnsmessage.RCodeSuccess:
		rh.RCode = z.rcode
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	_ = b.StartQuestions()
	_ = b.Question(q)
	_ = b.StartAnswers()
	rr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
	if rh.RCode == dnsmessage.RCodeSuccess {
		switch q.Type {
		case dnsmessage.TypeMX:
			for i, host := range z.mx {
				_ = b.MXResource(rr, dnsmessage.MXResource{Pref: uint16(10 * i), MX: dnsmessage.MustNewName(host)})
			}
		case dnsmessage.TypeA:
			for _, a := range z.a {
				if a.Is4() {
					_ = b.AResource(rr, dnsmessage.AResource{A: a.As4()})
				}
			}
		}
	}
	out, err := b.Finish()
	return out, err == nil
}

func TestDomainCheck(t *testing.T) {
	r := serveDNS(t, map[string]zone{
		"mx.example.":       {mx: []string{"mail.mx.example."}},
		"nullmx.example.":   {mx: []string{"."}},
		"aonly.example.":    {a: []netip.Addr{netip.MustParseAddr("192.0.2.1")}},
		"empty.example.":    {},
		"broken.example.":   {rcode: dnsmessage.RCodeServerFailure},
		"blackout.example.": {blackout: true},
	})
	c := &mail.DomainCheck{Resolver: r}
	tests := []struct {
		domain  string
		want    bool
		wantErr bool
	}{
		{"mx.example", true, false},
		{"MX.Example.", true, false},
		{"nullmx.example", false, false},
		{"aonly.example", true, false},
		{"empty.example", false, false},
		{"nxdomain.example", false, false},
		{"broken.example", false, true},
		{"blackout.example", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			got, err := c.CanReceiveMail(ctx, tt.domain)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("CanReceiveMail(%s) = %v, %v; want %v, error %v", tt.domain, got, err, tt.want, tt.wantErr)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v; the context allowed 500ms", d)
			}
			if tt.domain == "blackout.example" && !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
				t.Errorf("blackout error %v; want a timeout", err)
			}
		})
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
