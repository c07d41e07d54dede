// Package openapi holds the OpenAPI 3.1 description of the HTTP API,
// served at GET /openapi.json and rendered at GET /docs.
//
// The description is written by hand, in YAML (openapi.yaml), rather than
// generated from the Go types: the wire contract has much that those types
// do not say (the envelope's status strings and which fields each answer
// has, the messages of every failure, legacy names such as _id next to
// id, the multipart field names, the rate limits and cursors), and a
// reviewer reads a change to the contract best as a change to one
// readable document. Tests keep it true: every registered route has a
// description and every description a route (internal/api), and every
// response of the API and end-to-end tests is validated against it.
package openapi

import (
	_ "embed"
	"sync"
)

//go:embed openapi.yaml
var source []byte

// YAML returns the description as written.
func YAML() []byte { return source }

// JSON returns the description as JSON, converted once. The embedded
// document is checked by the package's tests, so a failure to convert it
// is a programming error.
var JSON = sync.OnceValue(func() []byte {
	b, err := toJSON(source)
	if err != nil {
		panic("openapi: " + err.Error())
	}
	return b
})
