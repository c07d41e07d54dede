package openapi_test

import (
	"bytes"
	"encoding/json"
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
