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
