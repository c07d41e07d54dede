package api

// Patterns returns the patterns of every route s serves, in registration
// order, for the test that holds them against the OpenAPI description.
func Patterns(s *Server) []string { return append([]string(nil), s.patterns...) }
