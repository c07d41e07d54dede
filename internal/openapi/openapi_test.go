package openapi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/instamern/gram/internal/openapi"
)

// TestSpecIsValidOpenAPI31 loads the served JSON with kin-openapi and
// validates it as an OpenAPI 3.1 document, examples included: each
// example must match its schema.
func TestSpecIsValidOpenAPI31(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.JSON())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("validate: %v", err)
	}
}

// TestJSONKeepsOrderAndAliases: the conversion keeps the order of paths
// as written, and expands the YAML aliases of shared examples.
func TestJSONKeepsOrderAndAliases(t *testing.T) {
	var doc struct {
		Paths json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(doc.Paths))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	first, err := dec.Token()
	if err != nil || first != "/" {
		t.Fatalf("first path %v (%v), want \"/\" as written", first, err)
	}
}

// TestEveryOperationHasExamples: the docs page shows examples, so every
// JSON request body and every JSON success answer has one (the document's
// own route excepted: its answer is this document).
func TestEveryOperationHasExamples(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.JSON())
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if path == "/openapi.json" {
				continue
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Example == nil && len(mt.Examples) == 0 {
					t.Errorf("%s %s: the JSON request body has no example", method, path)
				}
			}
			for status, resp := range op.Responses.Map() {
				if !strings.HasPrefix(status, "2") || resp.Value == nil {
					continue
				}
				if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Example == nil && len(mt.Examples) == 0 {
					t.Errorf("%s %s: the %s answer has no example", method, path, status)
				}
			}
		}
	}
}
