// Package openapi holds the API's OpenAPI 3.1 description and the HTML
// reference page rendered from it.
package openapi
