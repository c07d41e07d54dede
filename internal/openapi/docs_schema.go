package openapi

import (
	"encoding/json"
	"fmt"
	"strings"
)

// outlineDepth bounds how deep a schema outline or a generated example nests;
// a recursive schema stops earlier, at its second appearance on a branch.
const outlineDepth = 6

// resolver follows the spec's local references ("#/components/...").
type resolver struct{ root *object }

// deref follows v's chain of $ref and returns the object it ends at, with
// the name of the last component on the way ("" when v is no reference).
// An unresolvable reference ends at an object that says so.
func (r resolver) deref(v any) (*object, string) {
	n, _ := v.(*object)
	name := ""
	for range 32 {
		ref := n.str("$ref")
		if ref == "" {
			return n, name
		}
		target, ok := r.pointer(ref)
		if !ok {
			return &object{keys: []string{"description"}, vals: map[string]any{"description": "Unresolved reference " + ref + "."}}, name
		}
		n, name = target, ref[strings.LastIndexByte(ref, '/')+1:]
	}
	return nil, name
}

// pointer resolves a local JSON pointer such as "#/components/schemas/User".
func (r resolver) pointer(ref string) (*object, bool) {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	n := r.root
	for seg := range strings.SplitSeq(path, "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		if n = n.obj(seg); n == nil {
			return nil, false
		}
	}
	return n, true
}

// row is one line of a schema outline: a property, an array's items or one
// option of a oneOf/anyOf, indented by Depth.
type row struct {
	Depth       int
	Name        string
	Required    bool
	Type        typeView
	Description []para
}

// typeView names a schema's type for display; Ref is the component it
// links to, if any.
type typeView struct {
	Label string
	Ref   string
	Notes []string
}

// describe tells s's type: a component's name, "array of X", "string |
// null", and its constraints.
func (r resolver) describe(s any) typeView {
	n, name := r.deref(s)
	t := typeView{Label: name, Ref: name, Notes: notes(n)}
	if name != "" {
		return t
	}
	types := typeNames(n)
	switch {
	case len(types) > 0 && types[0] == "array":
		item := r.describe(n.get("items"))
		t.Label, t.Ref = "array of "+item.Label, item.Ref
		if len(types) > 1 {
			t.Label += " | " + strings.Join(types[1:], " | ")
		}
	case len(types) > 0:
		t.Label = strings.Join(types, " | ")
	case n.has("const"):
		t.Label = jsonType(n.get("const"))
	case len(n.arr("enum")) > 0:
		t.Label = jsonType(n.arr("enum")[0])
	case n.has("oneOf") || n.has("anyOf"):
		t.Label = "one of"
	case len(n.arr("allOf")) == 1:
		return r.describe(n.arr("allOf")[0])
	case n.has("properties") || n.has("allOf"):
		t.Label = "object"
	default:
		t.Label = "any"
	}
	return t
}

// typeNames lists the schema's "type", which 3.1 allows to be an array
// (["string", "null"]); "array" comes first so that describe finds it.
func typeNames(n *object) []string {
	var out []string
	switch t := n.get("type").(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	for i, s := range out {
		if s == "array" && i > 0 {
			out[0], out[i] = out[i], out[0]
		}
	}
	return out
}

// notes renders a schema's constraints as short phrases.
func notes(n *object) []string {
	var out []string
	add := func(key, format string) {
		if v := n.get(key); v != nil {
			out = append(out, fmt.Sprintf(format, inlineJSON(v)))
		}
	}
	add("format", "format %s")
	add("const", "always %s")
	if e := n.arr("enum"); len(e) > 0 {
		vals := make([]string, len(e))
		for i, v := range e {
			vals[i] = inlineJSON(v)
		}
		out = append(out, "one of "+strings.Join(vals, ", "))
	}
	add("default", "default %s")
	add("minimum", "≥ %s")
	add("exclusiveMinimum", "> %s")
	add("maximum", "≤ %s")
	add("exclusiveMaximum", "< %s")
	count := func(key, bound, unit string) {
		if v, ok := n.get(key).(json.Number); ok {
			if v != "1" {
				unit += "s"
			}
			out = append(out, bound+" "+string(v)+" "+unit)
		}
	}
	count("minLength", "at least", "character")
	count("maxLength", "at most", "character")
	count("minItems", "at least", "item")
	count("maxItems", "at most", "item")
	add("pattern", "matches %s")
	add("contentMediaType", "content %s")
	for _, f := range []string{"readOnly", "writeOnly", "deprecated"} {
		if n.flag(f) {
			out = append(out, map[string]string{"readOnly": "read-only", "writeOnly": "write-only", "deprecated": "deprecated"}[f])
		}
	}
	return out
}

// inlineJSON shows a scalar as JSON (strings quoted), except format
// names and patterns, which read better bare.
func inlineJSON(v any) string {
	if s, ok := v.(string); ok && !strings.ContainsAny(s, " ,") {
		return s
	}
	return prettyJSON(v)
}

// outline lists the rows under schema s: its properties (allOf parts
// merged), its array items' properties, or its oneOf/anyOf options, each
// followed by its own rows one level deeper. A component is expanded only
// down to refDepth (deeper, its row links to it), and not again inside
// itself.
func (r resolver) outline(s any, depth, refDepth int, open map[string]bool) []row {
	n, name := r.deref(s)
	if n == nil || depth > outlineDepth || open[name] || name != "" && depth > refDepth {
		return nil
	}
	if name != "" {
		open[name] = true
		defer delete(open, name)
	}
	if types := typeNames(n); len(types) > 0 && types[0] == "array" {
		return r.outline(n.get("items"), depth, refDepth, open)
	}
	var out []row
	for _, part := range n.arr("allOf") {
		out = append(out, r.outline(part, depth, refDepth, open)...)
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		for i, opt := range n.arr(key) {
			out = append(out, row{Depth: depth, Name: fmt.Sprintf("option %d", i+1), Type: r.describe(opt), Description: prose(r.description(opt))})
			out = append(out, r.outline(opt, depth+1, refDepth, open)...)
		}
	}
	props, required := n.obj("properties"), map[string]bool{}
	for _, k := range n.arr("required") {
		if s, ok := k.(string); ok {
			required[s] = true
		}
	}
	for _, k := range props.keyList() {
		p := props.vals[k]
		out = append(out, row{Depth: depth, Name: k, Required: required[k], Type: r.describe(p), Description: prose(r.description(p))})
		out = append(out, r.outline(p, depth+1, refDepth, open)...)
	}
	if ap, ok := n.get("additionalProperties").(*object); ok {
		out = append(out, row{Depth: depth, Name: "(any name)", Type: r.describe(ap), Description: prose(r.description(ap))})
		out = append(out, r.outline(ap, depth+1, refDepth, open)...)
	}
	return out
}

// description is v's own description, else its reference target's.
func (r resolver) description(v any) string {
	if n, _ := v.(*object); n.str("description") != "" {
		return n.str("description")
	}
	n, _ := r.deref(v)
	return n.str("description")
}

func (o *object) keyList() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case *object:
		return "object"
	case []any:
		return "array"
	}
	return "null"
}
