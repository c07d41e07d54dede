package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/gram"
)

// claims are the token's payload: the original's "id" claim (the user id)
// plus "sid", the server-side session that makes the token revocable.
type claims struct {
	ID  string `json:"id"`
	SID string `json:"sid"`
	jwt.RegisteredClaims
}

// tokens signs with the first secret and verifies with any, so a secret
// can be rotated without logging everyone out. The algorithm is pinned to
// HS256: "alg: none" and algorithm-confusion tokens are rejected.
type tokens struct {
	keys [][]byte
	ttl  time.Duration
	// legacy accepts the original server's tokens: no "sid", an "iat".
	legacy bool
}

// legacyToken is what a verified token of the original server holds
// besides its user: when it was issued and when it expires.
type legacyToken struct{ issued, expires time.Time }

func newTokens(secrets []string, ttl time.Duration) *tokens {
	t := &tokens{ttl: ttl}
	for _, s := range secrets {
		if s != "" {
			t.keys = append(t.keys, []byte(s))
		}
	}
	return t
}

// sign returns a token for the session, expiring with it.
func (t *tokens) sign(ss *gram.Session) (string, error) {
	c := claims{ID: ss.UserID, SID: ss.ID, RegisteredClaims: jwt.RegisteredClaims{
		IssuedAt:  jwt.NewNumericDate(ss.CreatedAt),
		ExpiresAt: jwt.NewNumericDate(ss.ExpiresAt),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.keys[0])
}

// verify checks a token and returns its user and session ids. A token
// of the original server (when accepted) has no session id: it returns
// the token's times instead.
func (t *tokens) verify(raw string) (userID, sessionID string, legacy *legacyToken, err error) {
	var lastErr error
	for _, key := range t.keys {
		var c claims
		_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return key, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithLeeway(5*time.Second))
		if err == nil {
			switch {
			case !gram.ValidID(c.ID):
				return "", "", nil, gram.ErrAuthFailed
			case c.SID != "":
				return c.ID, c.SID, nil, nil
			case t.legacy && c.IssuedAt != nil:
				return c.ID, "", &legacyToken{issued: c.IssuedAt.Time, expires: c.ExpiresAt.Time}, nil
			}
			return "", "", nil, gram.ErrAuthFailed
		}
		lastErr = err
		if errors.Is(err, jwt.ErrTokenExpired) {
			break // the signature matched; trying other keys cannot help
		}
	}
	if errors.Is(lastErr, jwt.ErrTokenExpired) {
		return "", "", nil, gram.ErrExpired
	}
	return "", "", nil, gram.ErrAuthFailed
}

// verified is the outcome of verifying one bearer token.
type verified struct {
	raw               string
	userID, sessionID string
	legacy            *legacyToken // a token of the original server: sessionID is ""
	err               error
}

// verifiedKey keys a request's verified token in its context.
type verifiedKey struct{}

// verifyToken verifies raw, the bearer token of r, unless a middleware
// before did so and kept the outcome in r (keepVerified): a request's
// token is verified once, however many layers need its user.
func (s *Server) verifyToken(r *http.Request, raw string) verified {
	if v, ok := r.Context().Value(verifiedKey{}).(verified); ok && v.raw == raw {
		return v
	}
	v := verified{raw: raw}
	v.userID, v.sessionID, v.legacy, v.err = s.tokens.verify(raw)
	return v
}

// keepVerified returns r carrying v for the verifyToken calls after it.
func keepVerified(r *http.Request, v verified) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), verifiedKey{}, v))
}
