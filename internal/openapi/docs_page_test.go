package openapi

import (
	"bytes"
	"testing"

	"golang.org/x/net/html"
)

// TestDocs renders the real description: every operation it has gets a
// section, and every in-page link an anchor.
func TestDocs(t *testing.T) {
	page, err := Docs()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	want := specOperations(t, JSON())
	if len(want) < 40 {
		t.Fatalf("the description has %d operations; that is not the whole API", len(want))
	}
	got := OperationHeadings(doc)
	for _, op := range want {
		if id, ok := got[op]; !ok || !hasLink(doc, "#"+id) {
			t.Errorf("%s: section %q, in the table of contents: %v", op, id, ok && hasLink(doc, "#"+id))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d operation sections, want %d", len(got), len(want))
	}
	if missing := danglingLinks(doc); len(missing) > 0 {
		t.Errorf("links without an anchor: %v", missing)
	}
}
