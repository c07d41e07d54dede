package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/instamern/gram/internal/gram"
)

// fuzzBody has the field shapes the handlers decode into.
type fuzzBody struct {
	Username string  `json:"username"`
	Password string  `json:"password"`
	Bio      *string `json:"bio"`
}

// FuzzDecodeJSON feeds arbitrary bytes to the strict decoder. It must
// never panic; every refusal is a client error (EINVALID) with a message;
// and whatever it accepts is one valid UTF-8 JSON object, without keys
// that fold to the same field, that encoding/json decodes to the same
// value.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"username":"alice","password":"tulip-orbit-42"}`,
		`{"bio":null}`,
		`{}`,
		` {"username":"a"} `,
		`{"username":{"$gt":""},"password":{"$ne":null}}`,
		`{"username":"a","username":"b"}`,
		`{"USERNAME":"a","username":"b"}`,
		`{"pa\u017f\u017fword":"a","password":"b"}`,
		"{\"pa\xc5\xbf\xc5\xbfword\":\"a\",\"password\":\"b\"}",
		`{"username":"a"}]`,
		`{"username":"a"}}`,
		`{"username":"a"} {}`,
		`{"username":"a"}garbage`,
		`[{"username":"a"}]`,
		`"alice"`,
		`null`,
		`{"username":"\u0000\ud800"}`,
		"{\"username\":\"\xff\xfe\"}",
		"\xef\xbb\xbf{}",
		`{"username":12,"bio":true}`,
		`{"bio":[[[[[[[[[[]]]]]]]]]]}`,
		`{"username":"a",}`,
		`{"username":"a"`,
		`{"a":1e999}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var body fuzzBody
		checkDecode(t, raw, &body, new(fuzzBody))
		var m map[string]any
		checkDecode(t, raw, &m, new(map[string]any))
	})
}

// checkDecode decodes raw into dst with the strict decoder and, when it
// accepts, into fresh with encoding/json, and compares.
func checkDecode(t *testing.T, raw []byte, dst, fresh any) {
	err := decodeJSON(raw, dst)
	if err != nil {
		var ge *gram.Error
		if !errors.As(err, &ge) || ge.Code != gram.EINVALID || ge.Message == "" {
			t.Fatalf("decodeJSON(%q) = %v, want an EINVALID *gram.Error with a message", raw, err)
		}
		return
	}
	if !utf8.Valid(raw) || !json.Valid(raw) {
		t.Fatalf("accepted invalid UTF-8 or JSON: %q", raw)
	}
	if err := json.Unmarshal(raw, fresh); err != nil {
		t.Fatalf("accepted %q, which encoding/json refuses: %v", raw, err)
	}
	if !reflect.DeepEqual(reflect.ValueOf(dst).Elem().Interface(), reflect.ValueOf(fresh).Elem().Interface()) {
		t.Fatalf("decoded %q differently from encoding/json", raw)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("accepted %q, which is not an object: %v", raw, err)
	}
	keys := topLevelKeys(t, raw)
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if strings.EqualFold(keys[i], keys[j]) {
				t.Fatalf("accepted %q with keys %q and %q", raw, keys[i], keys[j])
			}
		}
	}
}

// topLevelKeys lists the keys of the object in raw, in order, repeats kept.
func topLevelKeys(t *testing.T, raw []byte) []string {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}
