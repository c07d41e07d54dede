// Package openapi holds the API's OpenAPI 3.1 description, served at GET
// /openapi.json, and the HTML reference page rendered from it (GET /docs).
//
// The description is written by hand, in YAML (openapi.yaml), rather than
// generated from the Go types: the wire contract has much that those types
// do not say (the envelope's status strings and which fields each answer
// has, the messages of every failure, legacy names such as _id next to
// id, the multipart field names, the rate limits and cursors), and a
// reviewer reads a change to the contract best as a change to one
// readable document. Tests keep it true: every registered route has a
// description and every description a route (internal/api), and every
// response of the API and end-to-end tests is validated against it
// (openapitest).
package openapi
