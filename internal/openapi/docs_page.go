package openapi

import "sync"

// Docs returns the API reference page rendered from the embedded
// description (JSON), rendered on the first call and kept.
var Docs = sync.OnceValues(func() ([]byte, error) { return RenderDocs(JSON()) })
