package openapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// renderFixture renders testdata/fixture.json, a small 3.1 spec with
// every construct the page shows: tags, shared parameters, $refs to
// parameters, responses, headers and schemas, allOf, a recursive schema,
// examples given and missing, and markup in its texts.
func renderFixture(t *testing.T) (*html.Node, string) {
	t.Helper()
	spec, err := os.ReadFile("testdata/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	out, err := RenderDocs(spec)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return doc, string(out)
}

// specOperations lists "METHOD /path" of every operation in a spec.
func specOperations(t *testing.T, spec []byte) []string {
	t.Helper()
	var s struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &s); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, item := range s.Paths {
		for method := range item {
			if method != "parameters" && method != "summary" && method != "description" && method != "servers" {
				ops = append(ops, strings.ToUpper(method)+" "+path)
			}
		}
	}
	return ops
}

func TestRenderDocs_EveryOperationHasASectionAndAContentsEntry(t *testing.T) {
	doc, _ := renderFixture(t)
	spec, _ := os.ReadFile("testdata/fixture.json")
	want := specOperations(t, spec)
	if len(want) != 6 {
		t.Fatalf("fixture has %d operations, want 6", len(want))
	}
	got := OperationHeadings(doc)
	for _, op := range want {
		id, ok := got[op]
		if !ok {
			t.Errorf("no operation section for %s; sections: %v", op, got)
			continue
		}
		if !hasLink(doc, "#"+id) {
			t.Errorf("the table of contents does not link to %s (#%s)", op, id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d operation sections, want %d: %v", len(got), len(want), got)
	}
}

func TestRenderDocs_EveryLinkHasItsAnchor(t *testing.T) {
	doc, _ := renderFixture(t)
	if missing := danglingLinks(doc); len(missing) > 0 {
		t.Errorf("links without an anchor: %v", missing)
	}
	ids := map[string]int{}
	links := 0
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			ids[id]++
		}
		if strings.HasPrefix(attr(n, "href"), "#") {
			links++
		}
	})
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q is used %d times", id, n)
		}
	}
	if links < 10 {
		t.Errorf("only %d in-page links", links)
	}
}

func TestRenderDocs_EscapesTheSpecsText(t *testing.T) {
	doc, out := renderFixture(t)
	for _, raw := range []string{"<script", "<b>bold", "<em>text"} {
		if strings.Contains(out, raw) {
			t.Errorf("the page contains %q unescaped", raw)
		}
	}
	text := textOf(doc)
	for _, shown := range []string{"Fixture API <b>bold</b>", "<script>alert(1)</script>", "Shown as <em>text</em>, never HTML."} {
		if !strings.Contains(text, shown) {
			t.Errorf("the page's text does not show %q literally", shown)
		}
	}
	var scripts int
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			scripts++
		}
	})
	if scripts != 0 {
		t.Errorf("%d script elements, want none", scripts)
	}
}

func TestRenderDocs_ResolvesRefs(t *testing.T) {
	doc, _ := renderFixture(t)
	ops := OperationHeadings(doc)
	tests := []struct {
		op   string
		want []string
	}{
		// Parameter, header and response $refs, and a schema $ref's
		// properties outlined under the envelope's data.
		{"GET /users/{id}", []string{"A 24-character hex id.", "RateLimit-Remaining", "Requests left in this window.",
			"username", "at least 3 characters", "followers", "array of User", "No user with that id.", "Retry-After", "Seconds to wait.",
			"message required string at least 1 character Example"}},
		// allOf parts merged; the item schema of an array outlined.
		{"GET /posts", []string{"caption", "author", "likes", "≥ 0", "Cursor of the next page.", "string | null"}},
		// A path item's parameter and a response $ref on another path.
		{"DELETE /posts/{id}", []string{"A 24-character hex id.", "Not logged in.", "Required: bearerAuth"}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			text := flat(byID(doc, ops[tt.op]))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("section does not show %q:\n%s", w, text)
				}
			}
		})
	}
	if s := flat(byID(doc, "schema-user")); !strings.Contains(s, "createdAt") || !strings.Contains(s, "format date-time") {
		t.Errorf("the User schema section does not outline its properties:\n%s", s)
	}
}

// TestRenderDocs_ResponseHeadings: a response is headed by its status and
// its description's first paragraph, unless that is too long to read as
// a heading.
func TestRenderDocs_ResponseHeadings(t *testing.T) {
	doc, _ := renderFixture(t)
	heads := map[string]bool{}
	walk(byID(doc, OperationHeadings(doc)["POST /posts/upload"]), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "h5" {
			heads[flat(n)] = true
		}
	})
	if !heads["201 Created."] || !heads["413"] || len(heads) != 2 {
		t.Errorf("response headings %v, want \"201 Created.\" and a bare \"413\"", heads)
	}
}

func TestRenderDocs_AuthPerOperation(t *testing.T) {
	doc, _ := renderFixture(t)
	ops := OperationHeadings(doc)
	for op, want := range map[string]string{
		"GET /healthz":       "Auth None",
		"POST /users/signup": "Auth None",
		"GET /users/{id}":    "Auth Optional: bearerAuth",
		"DELETE /posts/{id}": "Auth Required: bearerAuth", // the spec-wide default
		"POST /posts/upload": "Auth Required: bearerAuth",
	} {
		if text := flat(byID(doc, ops[op])); !strings.Contains(text, want) {
			t.Errorf("%s: want %q in\n%s", op, want, text)
		}
	}
}

func TestRenderDocs_Examples(t *testing.T) {
	doc, _ := renderFixture(t)
	ops := OperationHeadings(doc)
	tests := []struct {
		op, text, pre string // pre: in one <pre>, indentation and all
	}{
		// A named request example with its summary, pretty-printed.
		{op: "POST /users/signup", text: "Example: Alice signs up",
			pre: "{\n  \"username\": \"alice\",\n  \"email\": \"alice@example.com\",\n  \"password\": \"lantern-orbit-42\"\n}"},
		// A response example given by the spec, keys in its order.
		{op: "POST /users/signup", pre: "{\n  \"status\": \"success\",\n  \"token\": \"eyJ...\",\n  \"data\": {\n    \"id\": \"u1\","},
		// Made from the schema: allOf merged, a const, formats, and the
		// recursion of User.followers cut to an empty list.
		{op: "GET /posts", text: "Example (made from the schema)", pre: "\"status\": \"success\","},
		{op: "GET /posts", pre: "      \"author\": {\n        \"id\": \"string\",\n        \"username\": \"string\",\n        \"email\": \"user@example.com\",\n        \"role\": \"user\",\n        \"followers\": [],"},
		{op: "GET /healthz", pre: "{\n  \"status\": \"ok\"\n}"},
		// An operation's x- extension, shown as a note.
		{op: "GET /posts", text: "Pagination Pass the next of a page as before to get the next page."},
	}
	for _, tt := range tests {
		sec := byID(doc, ops[tt.op])
		if text := flat(sec); !strings.Contains(text, tt.text) {
			t.Errorf("%s: want %q in\n%s", tt.op, tt.text, text)
		}
		if tt.pre != "" && !slices.ContainsFunc(preTexts(sec), func(p string) bool { return strings.Contains(p, tt.pre) }) {
			t.Errorf("%s: no example contains\n%s\nexamples:\n%s", tt.op, tt.pre, strings.Join(preTexts(sec), "\n"))
		}
	}
}

func TestRenderDocs_StyleMatchesTheCSP(t *testing.T) {
	_, out := renderFixture(t)
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(out, -1)
	if len(m) != 1 {
		t.Fatalf("%d style elements, want 1", len(m))
	}
	sum := sha256.Sum256([]byte(m[0][1]))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	csp := DocsCSP()
	if !strings.Contains(csp, "style-src "+hash+";") {
		t.Errorf("CSP %q does not allow the page's style element (%s)", csp, hash)
	}
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lacks %q", csp, d)
		}
	}
	if strings.Contains(out, "style=") || strings.Contains(out, "http://") && !strings.Contains(out, "<code>http://localhost:8080</code>") {
		t.Error("the page has an inline style attribute or a link out")
	}
}

func TestRenderDocs_RefusesWhatIsNotASpec(t *testing.T) {
	for name, in := range map[string]string{
		"not JSON":      `openapi: 3.1.0`,
		"no paths":      `{"openapi": "3.1.0"}`,
		"an array":      `[]`,
		"trailing data": `{"openapi": "3.1.0", "paths": {}} {}`,
	} {
		if _, err := RenderDocs([]byte(in)); err == nil {
			t.Errorf("%s: RenderDocs succeeded", name)
		}
	}
}

func TestProse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "One\nline.\n\nTwo.", "p[One line.] p[Two.]"},
		{"code", "Send `limit` here.", "p[Send |code:limit| here.]"},
		{"heading", "## Rate limits\nBudgets.", "h[Rate limits] p[Budgets.]"},
		{"list with continuation", "Status:\n\n* `ok`: fine,\n  really.\n* `fail`: not.\n\nAfter.", "p[Status:] ul[|code:ok|: fine, really.;|code:fail|: not.] p[After.]"},
		{"dash list", "- a\n- b", "ul[a;b]"},
		{"empty", "  \n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := proseString(prose(tt.in)); got != tt.want {
				t.Errorf("prose(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func proseString(ps []para) string {
	inline := func(ss []span) string {
		var b strings.Builder
		for _, s := range ss {
			if s.Code {
				b.WriteString("|code:" + s.Text + "|")
			} else {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	var out []string
	for _, p := range ps {
		switch {
		case p.Heading:
			out = append(out, "h["+inline(p.Spans)+"]")
		case p.Items != nil:
			var items []string
			for _, it := range p.Items {
				items = append(items, inline(it))
			}
			out = append(out, "ul["+strings.Join(items, ";")+"]")
		default:
			out = append(out, "p["+inline(p.Spans)+"]")
		}
	}
	return strings.Join(out, " ")
}
