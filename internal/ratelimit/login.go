package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// Logins counts failed logins per subject: per account, so that many IPs
// together cannot guess one account's password quickly, or per client
// IP, so that one IP cannot try a few passwords on every account. After a
// burst of Rule.Limit failures the subject is refused until the rule
// allows one more (Window/Limit later); it is never locked for good. A
// correct password is not a failure. The caller counts unknown accounts
// like known ones, so a refusal tells nothing about who has an account.
type Logins struct {
	Limiter Limiter
	Rule    Rule   // a zero Limit counts nothing
	Scope   string // what subjects are ("account", "ip"): keys of scopes differ
}

// Attempt counts an attempt on subject and refuses it when the subject
// has used up its failed logins. The attempt is counted before the
// password is checked, atomically: a check that only looked and counted
// failures afterwards let guesses sent at once all pass it. Attempts that
// turn out not to be failures are given back (Succeeded).
func (g Logins) Attempt(ctx context.Context, subject string) (Decision, error) {
	if g.Rule.Limit <= 0 {
		return Decision{Allowed: true}, nil
	}
	d, err := g.Limiter.Allow(ctx, g.key(subject), g.Rule)
	if err != nil {
		return Decision{Allowed: true}, err
	}
	return d, nil
}

// Succeeded gives back the attempt Attempt counted on subject, whose
// password was right. Only a right password may give an attempt back:
// anything an attacker can cause without it (a canceled request, an
// empty password) would otherwise buy guesses.
func (g Logins) Succeeded(ctx context.Context, subject string) error {
	if g.Rule.Limit <= 0 {
		return nil
	}
	return g.Limiter.Undo(ctx, g.key(subject), g.Rule)
}

// key names the failure count of subject.
func (g Logins) key(subject string) string { return "loginfail:" + g.Scope + ":" + KeyPart(subject) }

// KeyPart bounds a part of a key that a client chose: the client sends a
// username of any length (up to the body limit); one longer than any
// account's is hashed, so that the limiter's keys stay small.
func KeyPart(s string) string {
	if len(s) <= 64 {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "#" + hex.EncodeToString(sum[:])
}
