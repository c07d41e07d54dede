package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sqlInjections are classic SQL injection strings. Queries are
// parameterised, so each must be refused by validation or stored as the
// literal text it is.
var sqlInjections = []string{
	`' OR 1=1 --`,
	`' OR '1'='1`,
	`'; DROP TABLE users; --`,
	`"; DROP TABLE posts; --`,
	`1; DELETE FROM sessions`,
	`admin'--`,
	`' UNION SELECT password_hash FROM users --`,
	`%' OR username LIKE '%`,
	`\'; SELECT pg_sleep(5); --`,
	`1' AND SLEEP(5)#`,
	`'||(SELECT email FROM users LIMIT 1)||'`,
}

// xssPayloads are markup, which is text like any other: stored as typed,
// and never sent back as markup (the JSON escapes < and >).
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`<svg/onload=alert(1)>`,
	`"><script>alert(document.cookie)</script>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<iframe src=//evil.example>`,
	`<!--<script>-->`,
	`<b onmouseover=alert(1)>hi</b>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&amp;lt;img src=x onerror=alert(1)&amp;gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<style>@import 'x'</style>ok`,
	"<img\nsrc=x\nonerror=alert(1)>",
}

// controlText carries characters that must not reach storage: NUL (which
// PostgreSQL cannot store in text) and other control characters; and a
// bidirectional override, which may be stored but must not break anything.
var controlText = []string{
	"\x00",
	"ab\x00cd",
	"line\r\nSet-Cookie: x=y",
	"bell\x07\x1b[31m",
	"\u202eevil",
}

// storedColumn maps the text fields to the column that keeps them.
var storedColumn = map[string][2]string{
	"firstname": {"users", "firstname"},
	"lastname":  {"users", "lastname"},
	"bio":       {"users", "bio"},
	"caption":   {"posts", "caption"},
	"comment":   {"comments", "body"},
	"reason":    {"audit_log", "reason"},
}

// Hostile text in every field of every JSON endpoint: refused with nothing
// written, or accepted and stored literally (SQL, markup) and without
// control characters, with no raw < or > in the response; never a 500,
// never a lost row.
func TestBadInputHostileText(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		literal := func(t *testing.T, field, payload string) {
			if col, found := storedColumn[field]; found && !slices.Contains(fx.column(t, col[0], col[1]), payload) {
				t.Errorf("%s: %q is not stored literally in %s.%s", field, payload, col[0], col[1])
			}
		}
		groups := []struct {
			name     string
			payloads []string
			check    func(t *testing.T, field, payload string)
		}{
			{"SQL", sqlInjections, literal},
			{"XSS", xssPayloads, literal},
			{"Control", controlText, func(t *testing.T, _, _ string) { fx.noControlStored(t) }},
		}
		eachJSONField(t, fx, func(t *testing.T, ep jsonEndpoint, field string) {
			for _, g := range groups {
				for i, payload := range g.payloads {
					t.Run(g.name+strconv.Itoa(i), func(t *testing.T) {
						before := fx.snapshot(t)
						v, _ := json.Marshal(payload)
						res, raw := ep.send(t, fx, ep.withField(t, fx, field, v), "")
						if res.StatusCode >= 400 {
							fx.rejected(t, res, raw, 0, before)
							return
						}
						body := envelopeOf(t, res, raw)
						if body["status"] != "success" {
							t.Fatalf("%d %v", res.StatusCode, body)
						}
						fx.healthy(t)
						fx.noRowLost(t, before)
						g.check(t, field, payload)
						if bytes.ContainsAny(raw, "<>") {
							t.Errorf("response carries a raw < or >: %s", raw)
						}
					})
				}
			}
		})
	})
}

// noControlStored fails when stored user text holds a control character
// other than newline and tab.
func (fx *fixture) noControlStored(t *testing.T) {
	t.Helper()
	for table, cols := range textColumns {
		for _, col := range cols {
			for _, v := range fx.column(t, table, col) {
				if strings.ContainsFunc(v, func(r rune) bool {
					return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f
				}) {
					t.Errorf("%s.%s stores control characters: %q", table, col, v)
				}
			}
		}
	}
}

// noRowLost fails when a table has fewer rows than before, or alice or
// bob is gone: hostile text must not delete anything.
func (fx *fixture) noRowLost(t *testing.T, before snapshot) {
	t.Helper()
	after := fx.snapshot(t)
	for _, table := range watchedTables {
		if len(after[table]) < len(before[table]) {
			t.Errorf("%s lost rows: %d, was %d", table, len(after[table]), len(before[table]))
		}
	}
	for _, u := range []user{fx.alice, fx.bob} {
		st, body := fx.h.do(t, "GET", "/instamern/users/id/"+u.ID, "", nil)
		wantSuccess(t, st, body, http.StatusOK)
	}
}
