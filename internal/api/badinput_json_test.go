package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Every field of every JSON endpoint refuses values that are not strings:
// MongoDB operator objects (the NoSQL injection of the original), other
// JSON types, invalid UTF-8 and overlong text. Nothing is written.
func TestBadInputJSONFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		cases := []struct {
			name  string
			value string // raw JSON
			want  int    // 0: any 4xx
			typed bool   // the message names the field's type
		}{
			{"OperatorGt", `{"$gt":""}`, 400, true},
			{"OperatorNe", `{"$ne":null}`, 400, true},
			{"OperatorWhere", `{"$where":"sleep(1000)"}`, 400, true},
			{"OperatorRegex", `{"$regex":".*","$options":"i"}`, 400, true},
			{"OperatorIn", `{"$in":["alice","bob"]}`, 400, true},
			{"Number", `12345`, 400, true},
			{"Float", `-1.5e300`, 400, true},
			{"True", `true`, 400, true},
			{"False", `false`, 400, true},
			{"EmptyArray", `[]`, 400, true},
			{"Array", `["alice"]`, 400, true},
			{"EmptyObject", `{}`, 400, true},
			{"DeepNesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), 400, false},
			{"InvalidUTF8", "\"\xff\xfe\xfd\"", 400, false},
			{"InvalidUTF8Mixed", "\"ali\xc3\x28ce\"", 400, false},
			{"Overlong", `"` + strings.Repeat("a", 100_000) + `"`, 0, false},
			{"OverlongMultibyte", `"` + strings.Repeat("é", 50_000) + `"`, 0, false},
		}
		eachJSONField(t, fx, func(t *testing.T, ep jsonEndpoint, field string) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					before := fx.snapshot(t)
					res, raw := ep.send(t, fx, ep.withField(t, fx, field, json.RawMessage(tc.value)), "")
					body := fx.rejected(t, res, raw, tc.want, before)
					if tc.typed {
						if want := fmt.Sprintf("The field %q must be a string.", field); body["message"] != want {
							t.Errorf("message %q, want %q", body["message"], want)
						}
					}
				})
			}
		})
	})
}

// A JSON null is the same as leaving the field out: required fields are
// refused with nothing written; the optional fields of a profile update
// keep their stored value (null neither clears them nor stores "null").
func TestBadInputJSONNull(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		eachJSONField(t, fx, func(t *testing.T, ep jsonEndpoint, field string) {
			before := fx.snapshot(t)
			res, raw := ep.send(t, fx, ep.withField(t, fx, field, json.RawMessage(`null`)), "")
			if res.StatusCode >= 400 || ep.name != "UpdateProfile" {
				fx.rejected(t, res, raw, 0, before)
				return
			}
			wantSuccess(t, res.StatusCode, envelopeOf(t, res, raw), 200)
			if got, was := fx.userColumn(t, fx.alice, field), userValue(t, before, fx.alice, field); got != was {
				t.Errorf("null %s: stored %q, was %q", field, got, was)
			}
		})
	})
}

// Whole-body faults on every JSON endpoint: duplicated keys, trailing
// garbage, bodies that are not one object, 10 MB bodies and bodies that
// are not declared as JSON.
func TestBadInputJSONBodies(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		fx := newFixture(t, b)
		huge := func(field string) []byte {
			var buf bytes.Buffer
			buf.WriteString(`{"` + field + `":"`)
			buf.Write(bytes.Repeat([]byte("a"), 10<<20))
			buf.WriteString(`"}`)
			return buf.Bytes()
		}
		for _, ep := range jsonEndpoints {
			field := ep.fields(fx)[0]
			good, err := json.Marshal(ep.body(fx))
			if err != nil {
				t.Fatal(err)
			}
			good = slices.Clip(good) // each append below must copy, not share spare capacity
			dup := append([]byte(`{"`+field+`":"x",`), good[1:]...)
			cases := []struct {
				name  string
				body  []byte
				ctype string
				want  int
				msg   string
			}{
				{"DuplicateKey", dup, "", 400, fmt.Sprintf("The field %q appears more than once.", field)},
				{"DuplicateKeyCase", append([]byte(`{"`+strings.ToUpper(field)+`":"x",`), good[1:]...), "", 400, ""},
				{"TrailingObject", append(good, " {}"...), "", 400, "The request body must be a single JSON object."},
				{"TrailingGarbage", append(good, "garbage"...), "", 400, ""},
				{"TrailingBracket", append(good, ']'), "", 400, "The request body must be a single JSON object."},
				{"TrailingBrace", append(good, "\n}"...), "", 400, "The request body must be a single JSON object."},
				{"TrailingNUL", append(good, 0), "", 400, ""},
				{"TrailingVerticalTab", append(good, '\v'), "", 400, "The request body must be a single JSON object."},
				{"TrailingNBSP", append(good, "\u00a0"...), "", 400, "The request body must be a single JSON object."},
				{"Truncated", good[:len(good)-1], "", 400, "The request body is not valid JSON."},
				{"Array", append(append([]byte{'['}, good...), ']'), "", 400, "The request body must be a JSON object."},
				{"String", []byte(`"alice"`), "", 400, "The request body must be a JSON object."},
				{"Null", []byte(`null`), "", 400, "The request body must be a JSON object."},
				{"Number", []byte(`42`), "", 400, "The request body must be a JSON object."},
				{"SingleQuotes", []byte(`{'` + field + `':'x'}`), "", 400, "The request body is not valid JSON."},
				{"Comment", append([]byte(`/* x */`), good...), "", 400, ""},
				{"BOM", append([]byte("\xef\xbb\xbf"), good...), "", 400, ""},
				{"InvalidUTF8Key", append([]byte("{\"\xff\":\"x\","), good[1:]...), "", 400, ""},
				{"TenMegabytes", huge(field), "", http.StatusRequestEntityTooLarge, ""},
				{"TextPlain", good, "text/plain", http.StatusUnsupportedMediaType, ""},
				{"FormURLEncoded", []byte(field + "=x"), "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, ""},
				{"Multipart", good, "multipart/form-data; boundary=x", http.StatusUnsupportedMediaType, ""},
				{"XML", []byte(`<` + field + `>x</` + field + `>`), "application/xml", http.StatusUnsupportedMediaType, ""},
			}
			if folded, found := foldedKey(ep.fields(fx)); found {
				// encoding/json matches "paſſword" (long s) to "password".
				cases = append(cases, struct {
					name  string
					body  []byte
					ctype string
					want  int
					msg   string
				}{"DuplicateKeyUnicodeFold", append([]byte(`{"`+folded+`":"x",`), good[1:]...), "", 400, ""})
			}
			for _, tc := range cases {
				t.Run(ep.name+"/"+tc.name, func(t *testing.T) {
					before := fx.snapshot(t)
					res, raw := ep.send(t, fx, tc.body, tc.ctype)
					body := fx.rejected(t, res, raw, tc.want, before)
					if tc.msg != "" && body["message"] != tc.msg {
						t.Errorf("message %q, want %q", body["message"], tc.msg)
					}
				})
			}
		}
	})
}

// foldedKey returns the first field with an "s" or "k", spelled with the
// long s (U+017F) or the Kelvin sign (U+212A), which fold to them.
func foldedKey(fields []string) (string, bool) {
	for _, f := range fields {
		if strings.ContainsAny(f, "sk") {
			return strings.NewReplacer("s", "\u017f", "k", "\u212a").Replace(f), true
		}
	}
	return "", false
}
