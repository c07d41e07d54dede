package openapi

import (
	"strings"

	"golang.org/x/net/html"
)

// OperationHeadings maps "METHOD /path" to the id of the section that
// documents it, read from the page's operation headings.
func OperationHeadings(doc *html.Node) map[string]string {
	ops := map[string]string{}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "article" && hasClass(n, "op") {
			var h *html.Node
			walk(n, func(c *html.Node) {
				if h == nil && c.Type == html.ElementNode && c.Data == "h3" {
					h = c
				}
			})
			if h != nil {
				ops[flat(h)] = attr(n, "id")
			}
		}
	})
	return ops
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func hasLink(doc *html.Node, href string) bool {
	found := false
	walk(doc, func(n *html.Node) {
		found = found || n.Type == html.ElementNode && n.Data == "a" && attr(n, "href") == href
	})
	return found
}

// danglingLinks lists the in-page links ("#x") to no element's id.
func danglingLinks(doc *html.Node) []string {
	ids := map[string]bool{}
	var hrefs, missing []string
	walk(doc, func(n *html.Node) {
		if id := attr(n, "id"); id != "" {
			ids[id] = true
		}
		if h := attr(n, "href"); strings.HasPrefix(h, "#") {
			hrefs = append(hrefs, h[1:])
		}
	})
	for _, h := range hrefs {
		if !ids[h] {
			missing = append(missing, h)
		}
	}
	return missing
}

// byID is the element with the id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if found == nil && n.Type == html.ElementNode && attr(n, "id") == id {
			found = n
		}
	})
	return found
}

// blocks are the elements whose text textOf sets apart.
var blocks = map[string]bool{"p": true, "li": true, "td": true, "th": true, "dt": true, "dd": true, "pre": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "tr": true, "div": true, "article": true, "section": true}

// textOf is the text of n, each block element's set apart by a newline;
// nil has none.
func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		block := c.Type == html.ElementNode && blocks[c.Data]
		if block {
			b.WriteByte('\n')
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			visit(k)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	if n != nil {
		visit(n)
	}
	return b.String()
}

// flat is n's text with every run of white space made one space.
func flat(n *html.Node) string { return strings.Join(strings.Fields(textOf(n)), " ") }

// preTexts lists the text of each <pre> in n, as it is.
func preTexts(n *html.Node) []string {
	var out []string
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && c.Data == "pre" {
			out = append(out, textOf(c))
		}
	})
	return out
}
