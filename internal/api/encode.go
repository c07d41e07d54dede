package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/instamern/gram/internal/gram"
)

// envelope is the contract's success body; nil fields are left out.
type envelope struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
	Token   string `json:"token,omitempty"`
	Results *int   `json:"results,omitempty"`
	Next    string `json:"next,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// nullData marks a success body whose data is an explicit null.
type nullData struct{}

func (nullData) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// bodies recycles response buffers; one that grew past maxPooled (a huge
// profile) is left to the collector rather than kept.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooled = 256 << 10

// encode writes v as JSON with the status. The body is encoded into a
// buffer first, so that it goes out with a Content-Length in one write
// instead of chunked through net/http's 4 KB buffer (a feed page is about
// 9 KB: fewer writes, fewer syscalls), and so that an encoding failure is
// still a clean 500 rather than half a body.
func encode(w http.ResponseWriter, status int, v any) {
	buf := bodies.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooled {
			bodies.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		buf.Reset()
		status = http.StatusInternalServerError
		_ = json.NewEncoder(buf).Encode(failBody{Status: "error", Message: gram.ErrorMessage(err)})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// ok writes a success envelope. It returns nil, so that a handler can
// end with return ok(...).
func ok(w http.ResponseWriter, status int, e envelope) error {
	e.Status = "success"
	encode(w, status, e)
	return nil
}

// count returns a pointer for envelope.Results.
func count(n int) *int { return &n }

// decode reads a JSON object body into dst, strictly: the body must be
// JSON, within the size limit, one object, with the right types. Missing
// bodies decode as {}. Every failure is an *gram.Error for the client.
func decode(r *http.Request, dst any) error {
	if r.ContentLength == 0 && r.Body == http.NoBody {
		return nil
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &gram.Error{Code: gram.ETOOLARGE, Message: fmt.Sprintf("The request body is too large. The limit is %d KB.", mbe.Limit>>10)}
		}
		return gram.Errorf(gram.EINVALID, "The request body could not be read.")
	}
	if isJSONSpace(raw) {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return gram.Errorf(gram.EUNSUPPORTED, "Please send the request body as JSON (Content-Type: application/json).")
		}
	}
	return decodeJSON(raw, dst)
}

// decodeBody limits and decodes a JSON body.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	limitBody(w, r, s.cfg.MaxBodyBytes)
	return decode(r, dst)
}

// decodeJSON unmarshals one JSON object into dst, rejecting invalid UTF-8
// (which encoding/json would silently turn into U+FFFD and store),
// duplicate keys (an attacker could otherwise smuggle a second value past
// a proxy that reads the first) and trailing data.
func decodeJSON(raw []byte, dst any) error {
	if !utf8.Valid(raw) {
		return gram.Errorf(gram.EINVALID, "The request body is not valid UTF-8.")
	}
	if err := checkDuplicateKeys(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	// Only white space may follow. (dec.More is not enough: it reports
	// false for a stray "]" or "}".)
	if !isJSONSpace(raw[dec.InputOffset():]) {
		return gram.Errorf(gram.EINVALID, "The request body must be a single JSON object.")
	}
	return nil
}

// isJSONSpace reports whether b is only JSON white space (RFC 8259: space,
// tab, CR, LF; not the wider Unicode set of bytes.TrimSpace, which let
// "{}\v" through, found by FuzzDecodeJSON).
func isJSONSpace(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n")) == 0
}

// jsonError turns a decoding error into a readable client error.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return gram.Errorf(gram.EINVALID, "The field %q must be a %s.", te.Field, jsonKind(te.Type.Kind().String()))
	case errors.As(err, &te):
		return gram.Errorf(gram.EINVALID, "The request body must be a JSON object.")
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return gram.Errorf(gram.EINVALID, "The request body is not valid JSON.")
	}
	return gram.Errorf(gram.EINVALID, "The request body is not valid JSON.")
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "int", "int64", "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return k
}

// checkDuplicateKeys walks the top-level object and fails on a repeated
// key. Keys are compared case-insensitively, because encoding/json
// matches field names that way: {"PASSWORD":"a","password":"b"} would
// otherwise be two keys here and one field there.
func checkDuplicateKeys(raw []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	tok, err := dec.Token()
	if err != nil {
		return jsonError(err)
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '{' {
		return gram.Errorf(gram.EINVALID, "The request body must be a JSON object.")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err)
		}
		key, _ := tok.(string)
		folded := strings.ToLower(strings.ToUpper(key)) // one form for "K", "k" and the Kelvin sign
		if seen[folded] {
			return gram.Errorf(gram.EINVALID, "The field %q appears more than once.", key)
		}
		seen[folded] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return jsonError(err)
		}
	}
	return nil
}

// redecode converts an already-decoded object into dst, with the same
// type checks as decode.
func redecode(raw map[string]any, dst any) error {
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	return decodeJSON(b, dst)
}
