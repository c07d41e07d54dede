package api_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/pgtest"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/testenv"
)

// TestForgotPasswordFrozenDatabase: with PostgreSQL frozen (a proxy in
// front of it forwards nothing, on open or new connections),
// forgot-password still answers, the same, for an address with an
// account and one without: the answer does no database work, so its
// timing cannot depend on what the database holds. Once the database
// thaws, the link is queued for the account, and only for it.
func TestForgotPasswordFrozenDatabase(t *testing.T) {
	t.Parallel()
	var proxy *testenv.Proxy
	h := newHarness(t, backend{"postgres-proxied", func(tb testing.TB) *sqlstore.Store {
		u, err := url.Parse(pgtest.SchemaURL(tb))
		if err != nil {
			tb.Fatal(err)
		}
		proxy = testenv.NewProxy(tb, u.Host)
		u.Host = proxy.Addr()
		s, err := sqlstore.Open(tb.Context(), u.String(), sqlstore.Options{MaxOpenConns: 4})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = s.Close() })
		return s
	}})
	alice := h.signup(t, "alice")
	h.flushMail(t) // the welcome mail

	proxy.Freeze()
	type answer struct {
		status int
		body   map[string]any
	}
	answers := make(chan []answer, 1)
	go func() {
		var got []answer
		for _, email := range []string{alice.Email, "nobody@example.com"} {
			st, body := h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": email})
			got = append(got, answer{st, body})
		}
		answers <- got
	}()
	select {
	case got := <-answers:
		wantSuccess(t, got[0].status, got[0].body, 200)
		if !cmp.Equal(got[0], got[1], cmp.AllowUnexported(answer{})) {
			t.Errorf("answers differ: known %v, unknown %v", got[0], got[1])
		}
	case <-time.After(10 * time.Second):
		proxy.Thaw()
		t.Fatal("forgot-password waited for the frozen database")
	}
	proxy.Thaw()
	sent := h.flushMail(t)
	if len(sent) != 1 || sent[0].To != alice.Email || sent[0].Subject != "Reset your password" {
		t.Errorf("mails after the thaw: %+v; want alice's reset link", sent)
	}
}
