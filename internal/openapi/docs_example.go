package openapi

import "encoding/json"

// example makes a value that fits schema s, for a media type whose spec
// gives none: the schema's own example, const, default or first enum
// value where there is one, a typical value of its type otherwise. It
// reports false for a branch cut off by recursion or depth.
func (r resolver) example(s any, depth int, open map[string]bool) (any, bool) {
	n, name := r.deref(s)
	if n == nil || depth > outlineDepth || open[name] {
		return nil, false
	}
	if name != "" {
		open[name] = true
		defer delete(open, name)
	}
	if ex := n.arr("examples"); len(ex) > 0 {
		return ex[0], true
	}
	for _, k := range []string{"example", "const", "default"} {
		if n.has(k) {
			return n.get(k), true
		}
	}
	if e := n.arr("enum"); len(e) > 0 {
		return e[0], true
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if opts := n.arr(k); len(opts) > 0 {
			return r.example(opts[0], depth+1, open)
		}
	}
	types := typeNames(n)
	if len(types) == 0 && (n.has("properties") || n.has("allOf")) {
		types = []string{"object"}
	}
	if len(types) == 0 {
		return nil, true
	}
	return r.typical(n, types[0], depth, open)
}

// typical is an example value of the given type for schema n.
func (r resolver) typical(n *object, typ string, depth int, open map[string]bool) (any, bool) {
	switch typ {
	case "object":
		out := &object{vals: map[string]any{}}
		r.exampleProps(out, n, depth, open)
		return out, true
	case "array":
		if v, ok := r.example(n.get("items"), depth+1, open); ok {
			return []any{v}, true
		}
		return []any{}, true
	case "string":
		if s, ok := typicalStrings[n.str("format")]; ok {
			return s, true
		}
		return "string", true
	case "integer", "number":
		if m, ok := n.get("minimum").(json.Number); ok {
			return m, true
		}
		return json.Number("0"), true
	case "boolean":
		return true, true
	}
	return nil, true
}

// exampleProps adds an example of each of n's properties to out, those of
// its allOf parts included.
func (r resolver) exampleProps(out, n *object, depth int, open map[string]bool) {
	for _, part := range n.arr("allOf") {
		pn, name := r.deref(part)
		if pn == nil || open[name] {
			continue
		}
		if name != "" {
			open[name] = true
		}
		r.exampleProps(out, pn, depth, open)
		delete(open, name)
	}
	props := n.obj("properties")
	for _, k := range props.keyList() {
		v, ok := r.example(props.vals[k], depth+1, open)
		if !ok {
			continue
		}
		if _, dup := out.vals[k]; !dup {
			out.keys = append(out.keys, k)
		}
		out.vals[k] = v
	}
}

// typicalStrings maps a string format to a value that reads like one;
// any other format gets "string".
var typicalStrings = map[string]string{
	"date-time": "2026-01-02T15:04:05Z",
	"date":      "2026-01-02",
	"email":     "user@example.com",
	"uri":       "https://example.com/",
	"url":       "https://example.com/",
	"uuid":      "3f2a1c9e-8b7d-4e6f-a5b4-c3d2e1f0a9b8",
	"password":  "correct-horse-battery",
	"binary":    "(file contents)",
}
