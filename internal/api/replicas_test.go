package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
	"github.com/instamern/gram/internal/testenv"
)

const sessionEnded = "Your session has ended. Please login again."

// TestReplicas: two API servers (two replicas) on one store and one
// Redis. Nothing about a session or an account is kept in a replica:
// a logout, a password change or a suspension through one is refused by
// the other on the very next request, and the two count one rate-limit
// budget.
func TestReplicas(t *testing.T) {
	url := testenv.Need(t, "GRAM_TEST_REDIS")
	eachBackend(t, func(t *testing.T, b backend) {
		one, two := replicaPair(t, b, url, nil)

		t.Run("Logout", func(t *testing.T) {
			alice := one.signup(t, "alice")
			st, body := two.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			wantSuccess(t, st, body, 200)
			st, body = one.do(t, "POST", "/instamern/users/logout", alice.Token, nil)
			wantSuccess(t, st, body, 200)
			st, body = two.do(t, "GET", "/instamern/users/authorization/current-user", alice.Token, nil)
			wantFail(t, st, body, 401, sessionEnded)
		})
		t.Run("PasswordChange", func(t *testing.T) {
			bob := one.signup(t, "bob")
			other := two.login(t, "bob", testPassword)
			st, body := one.do(t, "PATCH", "/instamern/users/change-password", bob.Token, map[string]any{
				"currentPassword": testPassword, "password": "another999", "passwordConfirm": "another999"})
			wantSuccess(t, st, body, 200)
			st, body = two.do(t, "GET", "/instamern/users/authorization/current-user", other, nil)
			wantFail(t, st, body, 401, sessionEnded)
		})
		t.Run("Suspension", func(t *testing.T) {
			carol := one.signup(t, "carol")
			admin := one.signup(t, "root")
			one.setRole(t, admin, "admin")
			st, body := two.do(t, "GET", "/instamern/users/authorization/current-user", carol.Token, nil)
			wantSuccess(t, st, body, 200)
			st, body = one.do(t, "POST", "/instamern/admin/users/"+carol.ID+"/suspend", admin.Token, reason)
			wantSuccess(t, st, body, 200)
			st, body = two.do(t, "GET", "/instamern/users/authorization/current-user", carol.Token, nil)
			if st != http.StatusUnauthorized && st != http.StatusForbidden {
				t.Fatalf("the suspended user's token on the other replica: %d %v; want it refused", st, body)
			}
		})
		t.Run("SharedRateLimit", func(t *testing.T) {
			one, two := replicaPair(t, b, url, map[string]string{"RATE_LIMIT_WRITE": "6/1h"})
			dave, erin := one.signup(t, "dave"), one.signup(t, "erin")
			replicas := []*harness{one, two}
			for i := range 6 {
				action := []string{"follow", "unfollow"}[i%2]
				st, body := replicas[i%2].do(t, "POST", "/instamern/users/"+action+"/"+erin.Username, dave.Token, nil)
				wantSuccess(t, st, body, 200)
			}
			for _, r := range replicas {
				if st, body := r.do(t, "POST", "/instamern/users/follow/"+erin.Username, dave.Token, nil); st != http.StatusTooManyRequests {
					t.Errorf("the 7th write, the budget spent on both replicas: %d %v; want 429", st, body)
				}
			}
		})
	})
}

// replicaPair builds two replicas with env over testEnv on one fresh
// store, each with its own connection to one Redis, under a prefix of
// their own.
func replicaPair(t *testing.T, b backend, url string, env map[string]string) (one, two *harness) {
	t.Helper()
	prefix := fmt.Sprintf("gramtest:replicas:%d:", time.Now().UnixNano())
	one = newHarness(t, b)
	one.start(t, env, redisLimiter(t, url, prefix), setup{})
	two = &harness{store: one.store, blobs: one.blobs, clock: one.clock, hasher: one.hasher}
	two.start(t, env, redisLimiter(t, url, prefix), setup{})
	return one, two
}

// redisLimiter is one replica's limiter: its own connection to Redis,
// with keys under prefix.
func redisLimiter(t *testing.T, url, prefix string) ratelimit.Limiter {
	t.Helper()
	l, err := redislimit.New(t.Context(), url, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
