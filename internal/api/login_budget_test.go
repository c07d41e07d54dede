package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

// One IP hammering one account spends that account's budgets only: the
// other accounts behind the IP keep logging in. One IP trying passwords
// on many accounts runs out of its own failures; a refusal for that
// spends nothing of the account's. Right passwords are no failures.
func TestLoginBudgets(t *testing.T) {
	base := newHarness(t, backends()[0])
	for _, name := range []string{"alice", "bob", "carol"} {
		base.signup(t, name)
	}
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			h := base.limited(t, open(t, ratelimittest.NewClock()), func(c *api.Config) {
				c.LoginLimit = ratelimit.Rule{Limit: 5, Window: time.Hour}   // per IP and account
				c.LoginFails = ratelimit.Rule{Limit: 3, Window: time.Hour}   // per account
				c.LoginIPFails = ratelimit.Rule{Limit: 6, Window: time.Hour} // per IP, above LoginFails
			})
			login := func(ip, username, password string) (int, map[string]any, http.Header) {
				return h.from(t, ip, "POST", "/instamern/users/login", "", map[string]any{"username": username, "password": password})
			}
			const nat = "203.0.113.1"
			for i := range 10 { // hammering alice
				st, body, hd := login(nat, "alice", "wrong-guess-"+strconv.Itoa(i))
				if i < 3 {
					wantFail(t, st, body, 401, "Incorrect username or password.")
				} else {
					want429(t, st, body, hd, "Too many")
				}
			}
			for _, u := range []string{"bob", "carol", "bob"} { // the others behind the same IP
				st, body, _ := login(nat, u, testPassword)
				wantSuccess(t, st, body, 200)
			}

			const sprayer = "203.0.113.2"
			for i := range 6 {
				st, body, _ := login(sprayer, "nobody"+strconv.Itoa(i), "wrong-guess")
				wantFail(t, st, body, 401, "Incorrect username or password.")
			}
			st, body, hd := login(sprayer, "nobody6", "wrong-guess")
			want429(t, st, body, hd, "Too many failed logins from your network.")
			st, body, hd = login(sprayer, "bob", testPassword)
			want429(t, st, body, hd, "Too many failed logins from your network.")
			for i := range 3 { // nobody6's refusal spent nothing of its own budget
				st, body, _ := login("203.0.113.3", "nobody6", "wrong-guess-"+strconv.Itoa(i))
				wantFail(t, st, body, 401, "Incorrect username or password.")
			}

			const dev = "203.0.113.4"
			for range 5 {
				st, body, _ := login(dev, "bob", testPassword)
				wantSuccess(t, st, body, 200)
			}
			st, body, hd = login(dev, "bob", testPassword)
			want429(t, st, body, hd, "Too many requests.")
			st, body, _ = login(dev, "carol", testPassword)
			wantSuccess(t, st, body, 200)
			for i := range 6 { // right passwords spent none of dev's failures
				st, body, _ := login(dev, "someone"+strconv.Itoa(i), "wrong-guess")
				wantFail(t, st, body, 401, "Incorrect username or password.")
			}
		})
	}
}

// With the default limits, a classroom of 20 behind one NAT signs up,
// logs in twice, mistypes a password once and asks for a password reset,
// without a single 429.
func TestClassroomDefaults(t *testing.T) {
	base := newHarness(t, backends()[0])
	h := *base
	defaults := map[string]string{"TRUSTED_PROXIES": "127.0.0.0/8"}
	for _, k := range []string{"RATE_LIMIT_AUTH", "RATE_LIMIT_WRITE", "RATE_LIMIT_READ", "RATE_LIMIT_LOGIN_FAILURES", "RATE_LIMIT_RESET_MAIL"} {
		defaults[k] = "" // unset: the default
	}
	h.start(t, defaults, nil, setup{})
	const nat = "198.51.100.99"
	for i := range 20 {
		name := "pupil" + strconv.Itoa(i)
		st, body, _ := h.from(t, nat, "POST", "/instamern/users/signup", "", map[string]any{
			"firstname": "Test", "lastname": "User", "username": name, "email": name + "@example.com",
			"password": testPassword, "passwordConfirm": testPassword})
		wantSuccess(t, st, body, 201)
	}
	for i := range 20 {
		name := "pupil" + strconv.Itoa(i)
		for _, pw := range []string{testPassword, "mistyped-password", testPassword} {
			st, body, _ := h.from(t, nat, "POST", "/instamern/users/login", "", map[string]any{"username": name, "password": pw})
			if st == http.StatusTooManyRequests {
				t.Fatalf("%s: login refused: %v", name, body)
			}
		}
		st, body, _ := h.from(t, nat, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": name + "@example.com"})
		wantSuccess(t, st, body, 200)
	}
}
