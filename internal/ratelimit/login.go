package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// Logins counts failed logins per account, so that many IPs together
// cannot guess one account's password quickly. After Rule.Limit failures
// in a window the account is refused until that window ends; the window
// always ends, so an attacker can slow a victim's logins but never lock
// the account for good. A correct password is not a failure. The caller
// counts unknown accounts like known ones, so a refusal tells nothing
// about who has an account.
type Logins struct {
	Limiter Limiter
	Rule    Rule // a zero Limit counts nothing
}

// goodSuffix names the count of an account's attempts whose password was
// right.
const goodSuffix = ":good"

// Attempt counts an attempt on account (a normalised username) and
// refuses it when the account has used up its failed logins. The attempt
// is counted before the password is checked, with the limiter's atomic
// increment: a check that only peeked and counted failures afterwards let
// guesses sent at once all pass it. Attempts that turn out not to be
// failures (Succeeded) are counted on a second key and allowed on top of
// the limit.
func (g Logins) Attempt(ctx context.Context, account string) (Decision, error) {
	if g.Rule.Limit <= 0 {
		return Decision{Allowed: true}, nil
	}
	key := loginKey(account)
	good, _, err := g.Limiter.Peek(ctx, key+goodSuffix, g.Rule)
	if err != nil {
		return Decision{Allowed: true}, err
	}
	allowed, _, resetIn, err := g.Limiter.Allow(ctx, key, Rule{Limit: g.Rule.Limit + good, Window: g.Rule.Window})
	if err != nil || allowed {
		return Decision{Allowed: true}, err
	}
	return Decision{Limit: g.Rule.Limit, ResetIn: resetIn}, nil
}

// Succeeded takes back the attempt Attempt counted on account, whose
// password was right. Only a right password may take an attempt back:
// anything an attacker can cause without it (a canceled request, an
// empty password) would otherwise buy guesses.
func (g Logins) Succeeded(ctx context.Context, account string) error {
	if g.Rule.Limit <= 0 {
		return nil
	}
	_, _, _, err := g.Limiter.Allow(ctx, loginKey(account)+goodSuffix, g.Rule)
	return err
}

// loginKey names the failure counter of account. The client sends a
// username of any length (up to the body limit); one longer than any
// account's is hashed, so that the limiter's keys stay small.
func loginKey(account string) string {
	if len(account) > 64 {
		sum := sha256.Sum256([]byte(account))
		account = "#" + hex.EncodeToString(sum[:])
	}
	return "loginfail:" + account
}
