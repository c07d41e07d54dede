package openapi

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The page's data, built from the spec by buildPage.
type (
	page struct {
		Title, Version, SpecVersion string
		Description                 []para
		Servers                     []server
		Auth                        []authScheme
		Groups                      []group
		Schemas                     []schema
		Operations                  int
	}
	server     struct{ URL, Description string }
	authScheme struct {
		Name, Kind  string
		Description []para
	}
	group struct {
		ID, Name    string
		Description []para
		Ops         []operation
	}
	operation struct {
		ID, Method, Path, Summary string
		Description               []para
		Deprecated                bool
		Auth                      string
		Params                    []param
		Body                      *body
		Responses                 []response
		Notes                     []note
	}
	param struct {
		Name, In, Example string
		Required          bool
		Type              typeView
		Description       []para
	}
	body struct {
		Required    bool
		Description []para
		Contents    []content
	}
	response struct {
		Status, Class string
		Title         para // the description's first paragraph
		Description   []para
		Headers       []param
		Contents      []content
	}
	content struct {
		MediaType string
		Type      typeView
		Rows      []row
		Examples  []example
	}
	example struct{ Title, JSON string }
	note    struct {
		Name  string
		Text  []para
		JSON  string
		IsRaw bool
	}
	schema struct {
		ID, Name    string
		Type        typeView
		Description []para
		Rows        []row
	}
)

// methods lists the operations of a path item in the order the page
// shows them.
var methods = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

// buildPage turns a decoded spec into the page's data.
func buildPage(root *object) page {
	r := resolver{root: root}
	info := root.obj("info")
	p := page{Title: info.str("title"), Version: info.str("version"), SpecVersion: root.str("openapi"), Description: prose(info.str("description"))}
	for _, s := range root.arr("servers") {
		so, _ := s.(*object)
		p.Servers = append(p.Servers, server{URL: so.str("url"), Description: so.str("description")})
	}
	schemes := root.obj("components").obj("securitySchemes")
	for _, name := range schemes.keyList() {
		s, _ := r.deref(schemes.get(name))
		p.Auth = append(p.Auth, authScheme{Name: name, Kind: schemeKind(s), Description: prose(s.str("description"))})
	}
	p.Groups = r.groups(root)
	for _, g := range p.Groups {
		p.Operations += len(g.Ops)
	}
	schemas := root.obj("components").obj("schemas")
	for _, name := range schemas.keyList() {
		s := schemas.get(name)
		n, _ := r.deref(s)
		p.Schemas = append(p.Schemas, schema{ID: "schema-" + slug(name), Name: name, Type: r.describeInline(s),
			Description: prose(n.str("description")), Rows: r.outline(s, 0, outlineDepth, map[string]bool{name: true})})
	}
	return p
}

// describeInline describes a component schema by its shape, not by its
// own name.
func (r resolver) describeInline(s any) typeView {
	n, _ := r.deref(s)
	return r.describe(n)
}

// schemeKind says what a security scheme asks for, in words.
func schemeKind(s *object) string {
	switch s.str("type") {
	case "http":
		k := "HTTP " + s.str("scheme")
		if f := s.str("bearerFormat"); f != "" {
			k += " (" + f + ")"
		}
		return k
	case "apiKey":
		return "API key in the " + s.str("in") + " " + s.str("name")
	}
	return s.str("type")
}

// groups collects the operations by their first tag: the spec's tags in
// its order, then any others in order of appearance, untagged ones last.
func (r resolver) groups(root *object) []group {
	var order []string
	byTag := map[string]*group{}
	add := func(name string, desc string) *group {
		if g, ok := byTag[name]; ok {
			return g
		}
		byTag[name] = &group{ID: "tag-" + slug(name), Name: name, Description: prose(desc)}
		order = append(order, name)
		return byTag[name]
	}
	for _, t := range root.arr("tags") {
		to, _ := t.(*object)
		add(to.str("name"), to.str("description"))
	}
	ids := map[string]bool{}
	paths := root.obj("paths")
	var untagged []operation
	for _, path := range paths.keyList() {
		item, _ := r.deref(paths.get(path))
		for _, m := range methods {
			op, ok := item.get(m).(*object)
			if !ok {
				continue
			}
			o := r.operation(root, item, op, m, path, ids)
			if tags := op.arr("tags"); len(tags) > 0 {
				name, _ := tags[0].(string)
				g := add(name, "")
				g.Ops = append(g.Ops, o)
			} else {
				untagged = append(untagged, o)
			}
		}
	}
	var out []group
	for _, name := range order {
		if g := byTag[name]; len(g.Ops) > 0 {
			out = append(out, *g)
		}
	}
	if len(untagged) > 0 {
		out = append(out, group{ID: "tag-other", Name: "Other", Ops: untagged})
	}
	return out
}

// operation builds one operation's view; ids keeps anchors unique.
func (r resolver) operation(root, item, op *object, method, path string, ids map[string]bool) operation {
	id := "op-" + slug(cmp.Or(op.str("operationId"), method+" "+path))
	for base, i := id, 2; ids[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	ids[id] = true
	o := operation{ID: id, Method: strings.ToUpper(method), Path: path, Summary: cmp.Or(op.str("summary"), item.str("summary")),
		Description: prose(cmp.Or(op.str("description"), item.str("description"))), Deprecated: op.flag("deprecated"),
		Auth: authText(root, op)}
	o.Params = r.params(item.arr("parameters"), op.arr("parameters"))
	if rb, ok := op.get("requestBody").(*object); ok {
		b, _ := r.deref(rb)
		o.Body = &body{Required: b.flag("required"), Description: prose(b.str("description")), Contents: r.contents(b.obj("content"))}
	}
	o.Responses = r.responses(op.obj("responses"))
	for _, k := range op.keyList() {
		if name, ok := strings.CutPrefix(k, "x-"); ok {
			o.Notes = append(o.Notes, extensionNote(name, op.get(k)))
		}
	}
	return o
}

// params merges a path item's parameters with an operation's; the
// operation's win by name and location.
func (r resolver) params(common, own []any) []param {
	var out []param
	seen := map[string]int{}
	for _, list := range [][]any{common, own} {
		for _, v := range list {
			n, _ := r.deref(v)
			p := param{Name: n.str("name"), In: n.str("in"), Required: n.flag("required"), Type: r.describe(n.get("schema")),
				Description: prose(n.str("description"))}
			p.Example = r.paramExample(n)
			key := p.In + " " + p.Name
			if i, ok := seen[key]; ok {
				out[i] = p
				continue
			}
			seen[key] = len(out)
			out = append(out, p)
		}
	}
	return out
}

// paramExample is a parameter's example, its schema's when it has none
// of its own, or "".
func (r resolver) paramExample(n *object) string {
	if n.has("example") {
		return inlineJSON(n.get("example"))
	}
	exs := n.obj("examples")
	if names := exs.keyList(); len(names) > 0 {
		e, _ := r.deref(exs.get(names[0]))
		return inlineJSON(e.get("value"))
	}
	if sn, _ := r.deref(n.get("schema")); sn.has("example") || len(sn.arr("examples")) > 0 {
		v, _ := r.example(sn, 0, map[string]bool{})
		return inlineJSON(v)
	}
	return ""
}

// responses lists the responses by status, "default" last.
func (r resolver) responses(rs *object) []response {
	var out []response
	for _, status := range rs.keyList() {
		n, _ := r.deref(rs.get(status))
		resp := response{Status: status, Class: "s" + status[:1], Contents: r.contents(n.obj("content"))}
		resp.Description = prose(n.str("description"))
		if d := resp.Description; len(d) > 0 && !d[0].Heading && d[0].Items == nil && d[0].length() <= maxTitle {
			resp.Title, resp.Description = d[0], d[1:]
		}
		hs := n.obj("headers")
		for _, name := range hs.keyList() {
			h, _ := r.deref(hs.get(name))
			resp.Headers = append(resp.Headers, param{Name: name, Required: h.flag("required"), Type: r.describe(h.get("schema")), Description: prose(h.str("description"))})
		}
		out = append(out, resp)
	}
	slices.SortStableFunc(out, func(a, b response) int {
		return cmp.Compare(strings.Replace(a.Status, "default", "~", 1), strings.Replace(b.Status, "default", "~", 1))
	})
	return out
}

// opRefDepth is how deep an operation's schema outline expands the
// components it refers to; the Schemas section outlines each in full.
const opRefDepth = 2

// contents shows each media type: its schema outline and its examples,
// one generated from the schema for JSON when the spec gives none.
func (r resolver) contents(c *object) []content {
	var out []content
	for _, mt := range c.keyList() {
		m, _ := c.get(mt).(*object)
		s := m.get("schema")
		ct := content{MediaType: mt, Type: r.describe(s), Rows: r.outline(s, 0, opRefDepth, map[string]bool{})}
		if m.has("example") {
			ct.Examples = append(ct.Examples, example{Title: "Example", JSON: exampleText(mt, m.get("example"))})
		}
		exs := m.obj("examples")
		for _, name := range exs.keyList() {
			e, _ := r.deref(exs.get(name))
			ct.Examples = append(ct.Examples, example{Title: "Example: " + cmp.Or(e.str("summary"), name), JSON: exampleText(mt, e.get("value"))})
		}
		if len(ct.Examples) == 0 && s != nil && strings.Contains(mt, "json") {
			if v, ok := r.example(s, 0, map[string]bool{}); ok {
				ct.Examples = append(ct.Examples, example{Title: "Example (made from the schema)", JSON: prettyJSON(v)})
			}
		}
		out = append(out, ct)
	}
	return out
}

// maxTitle is the longest first paragraph of a response's description
// that the page shows as the response's heading; a longer one stays a
// paragraph below the status.
const maxTitle = 120

// length is the number of characters of a paragraph's text.
func (p para) length() int {
	n := 0
	for _, s := range p.Spans {
		n += utf8.RuneCountInString(s.Text)
	}
	return n
}

// exampleText shows an example of a JSON media type as indented JSON, and
// a string example of any other type (text/html, a form) as it is.
func exampleText(mediaType string, v any) string {
	if s, ok := v.(string); ok && !strings.Contains(mediaType, "json") {
		return s
	}
	return prettyJSON(v)
}

// authText says whether an operation needs a login: its own security, or
// the spec's. An empty requirement ({}) among others makes auth optional.
func authText(root, op *object) string {
	reqs := root.arr("security")
	if op.has("security") {
		reqs = op.arr("security")
	}
	optional := false
	var alts []string
	for _, req := range reqs {
		ro, _ := req.(*object)
		if len(ro.keyList()) == 0 {
			optional = true
			continue
		}
		alts = append(alts, strings.Join(ro.keys, " + "))
	}
	switch {
	case len(alts) == 0:
		return "None"
	case optional:
		return "Optional: " + strings.Join(alts, " or ") + " (answers without a login, and may say more with one)"
	}
	return "Required: " + strings.Join(alts, " or ")
}

// extensionNote shows an x- extension of an operation (x-rate-limit:
// "Rate limit"): a string as prose, anything else as JSON.
func extensionNote(name string, v any) note {
	title := strings.ReplaceAll(name, "-", " ")
	if title != "" {
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	if s, ok := v.(string); ok {
		return note{Name: title, Text: prose(s)}
	}
	return note{Name: title, JSON: prettyJSON(v), IsRaw: true}
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an HTML id from a name: "GET /users/{id}" is "get-users-id".
func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// para is a block of a description: a paragraph, a heading or a
// bulleted list, written in the subset of CommonMark that the spec uses.
type para struct {
	Heading bool
	Spans   []span   // of a paragraph or heading
	Items   [][]span // of a list
}

type span struct {
	Text string
	Code bool
}

// prose splits a description into blocks: "#" lines are headings, "* "
// or "- " lines start list items (indented lines right below continue
// them), other lines make paragraphs, which blank lines end; `backticked`
// spans are code. The template escapes all text.
func prose(s string) []para {
	var out []para
	var text []string
	list := -1 // index in out of the list being built
	flush := func() {
		if len(text) > 0 {
			out = append(out, para{Spans: spans(strings.Join(text, " "))})
			text = nil
		}
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		bullet := strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, "- ")
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "#"):
			flush()
			list = -1
			out = append(out, para{Heading: true, Spans: spans(strings.TrimSpace(strings.TrimLeft(trimmed, "#")))})
		case bullet:
			flush()
			if list < 0 {
				list = len(out)
				out = append(out, para{})
			}
			out[list].Items = append(out[list].Items, spans(trimmed[2:]))
		case list >= 0 && list == len(out)-1 && line != trimmed:
			items := out[list].Items
			items[len(items)-1] = append(items[len(items)-1], spans(" "+trimmed)...)
		default:
			list = -1
			text = append(text, trimmed)
		}
	}
	flush()
	return out
}

// spans marks the `backticked` parts of a line as code.
func spans(s string) []span {
	var out []span
	for i, part := range strings.Split(s, "`") {
		if part != "" {
			out = append(out, span{Text: part, Code: i%2 == 1})
		}
	}
	return out
}
