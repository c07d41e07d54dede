package openapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
)

//go:embed docs.html.tmpl docs.css
var docsFiles embed.FS

// docsCSS is the page's only style sheet, inlined in a <style> element
// whose hash the Content-Security-Policy allows: the page loads nothing,
// so it reads the same offline.
var docsCSS = mustRead("docs.css")

var docsTemplate = template.Must(template.New("docs.html.tmpl").Funcs(template.FuncMap{
	"css":  func() template.CSS { return template.CSS(docsCSS) },
	"slug": slug,
}).ParseFS(docsFiles, "docs.html.tmpl"))

func mustRead(name string) string {
	b, err := docsFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// DocsCSP is the Content-Security-Policy for the page RenderDocs makes:
// nothing may load, no script runs, and only its own style sheet applies.
func DocsCSP() string {
	sum := sha256.Sum256([]byte(docsCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}

// RenderDocs renders an OpenAPI 3.x document (JSON) as one self-contained
// HTML reference page: the operations grouped by tag with a table of
// contents, each with its auth, parameters, request body and responses,
// schemas outlined with their $refs resolved, and examples (the spec's, or
// made from the schema for JSON). Every text of the spec is escaped.
func RenderDocs(specJSON []byte) ([]byte, error) {
	v, err := decodeOrdered(specJSON)
	if err != nil {
		return nil, fmt.Errorf("openapi: reading the spec: %w", err)
	}
	root, ok := v.(*object)
	if !ok || !root.has("openapi") || !root.has("paths") {
		return nil, errors.New("openapi: the spec is not an OpenAPI document (no openapi or paths)")
	}
	var b bytes.Buffer
	if err := docsTemplate.Execute(&b, buildPage(root)); err != nil {
		return nil, fmt.Errorf("openapi: rendering the docs: %w", err)
	}
	return b.Bytes(), nil
}
