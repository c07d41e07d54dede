package api_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/api"
)

// Bad tokens on a read and on a write: a 401 fail, nothing written, and a
// message that tells the cases apart: no token, an invalid token, an
// expired session, an ended (revoked) session.
func TestBadInputTokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		const (
			notLoggedIn = "You're not logged in. Please login."
			invalid     = "Authorization failed. Please login."
			expired     = "Your session has expired. Please login again."
			ended       = "Your session has ended. Please login again."
		)
		sid := claimsOf(t, fx.alice.Token)["sid"].(string)
		revoked := fx.h.login(t, "alice", testPassword)
		st, body := fx.h.do(t, "POST", "/instamern/users/logout", revoked, nil)
		wantSuccess(t, st, body, 200)
		enc := base64.RawURLEncoding
		payload := strings.Split(fx.alice.Token, ".")[1]
		cases := []struct{ name, header, msg string }{
			{"None", "", notLoggedIn},
			{"NotBearer", "Basic YWxpY2U6cGFzcw==", notLoggedIn},
			{"EmptyBearer", "Bearer ", notLoggedIn}, // the header value is trimmed: "Bearer"
			{"Garbage", "Bearer garbage", invalid},
			{"GarbageThreeParts", "Bearer a.b.c", invalid},
			{"BearerNull", "Bearer null", invalid},
			{"BearerUndefined", "Bearer undefined", invalid},
			{"Overlong", "Bearer " + strings.Repeat("a", 6000), invalid},
			{"AlgNone", "Bearer " + noneToken(fx.alice.ID), invalid},
			{"AlgNoneRealPayload", "Bearer " + enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + payload + ".", invalid},
			{"HS256OtherKey", "Bearer " + signToken(t, "another-secret-0123456789abcdef0123", fx.alice.ID, sid, time.Now().Add(time.Hour)), invalid},
			{"HS512RealKey", "Bearer " + signWith(t, jwt.SigningMethodHS512, fx.alice.ID, sid), invalid},
			{"RS256Header", "Bearer " + enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + payload + "." + enc.EncodeToString([]byte("sig")), invalid},
			{"TamperedPayload", "Bearer " + tamper(t, fx.alice.Token, fx.bob.ID), invalid},
			{"InvalidUserID", "Bearer " + signToken(t, testSecret, "' OR 1=1 --", sid, time.Now().Add(time.Hour)), invalid},
			{"SessionOfAnotherUser", "Bearer " + signToken(t, testSecret, fx.bob.ID, sid, time.Now().Add(time.Hour)), invalid},
			{"NoExpiry", "Bearer " + signNoExp(t, fx.alice.ID, sid), invalid},
			{"Expired", "Bearer " + fx.h.expiredToken(t, fx.alice), expired},
			{"Revoked", "Bearer " + revoked, ended},
		}
		seen := map[string]string{}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				hdr := map[string]string{}
				if tc.header != "" {
					hdr["Authorization"] = tc.header
				}
				before := fx.snapshot(t)
				res, raw := fx.h.request(t, "GET", "/instamern/users/authorization/current-user", "", nil, hdr)
				body := fx.rejected(t, res, raw, http.StatusUnauthorized, before)
				if body["message"] != tc.msg {
					t.Errorf("read: message %q, want %q", body["message"], tc.msg)
				}
				res, raw = fx.h.request(t, "POST", "/instamern/posts/comments/"+fx.postID, "", map[string]any{"comment": "sneaky"}, hdr)
				body = fx.rejected(t, res, raw, http.StatusUnauthorized, before)
				if body["message"] != tc.msg {
					t.Errorf("write: message %q, want %q", body["message"], tc.msg)
				}
				seen[tc.msg] = tc.name
			})
		}
		if len(seen) != 4 {
			t.Errorf("want 4 distinct messages, got %v", seen)
		}
	})
}

// signWith signs the id and sid claims with the test secret and method.
func signWith(t *testing.T, m jwt.SigningMethod, userID, sid string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(m, jwt.MapClaims{"id": userID, "sid": sid, "exp": time.Now().Add(time.Hour).Unix()}).
		SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// signNoExp signs a token without an expiry.
func signNoExp(t *testing.T, userID, sid string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": userID, "sid": sid}).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tamper swaps the user id in a token's payload, keeping the signature.
func tamper(t *testing.T, tok, userID string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	c := claimsOf(t, tok)
	enc := base64.RawURLEncoding
	parts[1] = enc.EncodeToString(fmt.Appendf(nil, `{"id":%q,"sid":%q,"exp":%d}`, userID, c["sid"], int64(c["exp"].(float64))))
	return strings.Join(parts, ".")
}

// Hostile request headers on login, whose User-Agent and IP are stored
// with the session: never a 500, and what is stored is valid text. The
// loopback peer is a trusted proxy, so the forwarding header is parsed.
func TestBadInputHeaders(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b, withAPI(func(c *api.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		}))
		for _, tc := range []struct {
			name, header, value string
			want                int
		}{
			{"UserAgentInvalidUTF8", "User-Agent", "Mozilla/5.0 \xff\xfe\xfd", 200},
			{"UserAgentOverlong", "User-Agent", strings.Repeat("é", 8000), 200},
			{"UserAgentSQL", "User-Agent", "'; DROP TABLE sessions; --", 200},
			{"UserAgentMarkup", "User-Agent", "<script>alert(1)</script>", 200},
			{"ForwardedForGarbage", "X-Forwarded-For", "' OR 1=1 --, \xff, 999.1.1.1, 10.0.0.1\xff", 200},
			{"ForwardedGarbage", "Forwarded", `for="\xff";by=<script>`, 200},
			{"RequestIDGarbage", "X-Request-Id", "\xff<script>", 200},
			{"OriginGarbage", "Origin", "null\xff", http.StatusForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, raw := fx.h.request(t, "POST", "/instamern/users/login", "",
					map[string]any{"username": "alice", "password": testPassword}, map[string]string{tc.header: tc.value})
				if tc.want != http.StatusOK {
					wantFail(t, res.StatusCode, envelopeOf(t, res, raw), tc.want, "")
					return
				}
				wantSuccess(t, res.StatusCode, envelopeOf(t, res, raw), http.StatusOK)
				for _, col := range []string{"user_agent", "ip"} {
					for _, v := range fx.column(t, "sessions", col) {
						if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > 1024 {
							t.Errorf("sessions.%s stores %q", col, v)
						}
					}
				}
				fx.healthy(t)
			})
		}
	})
}
