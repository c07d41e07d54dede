package media

// HEIF containers (HEIC from iPhones, AVIF) have no decoder in pure Go.
// A build with the vips tag (heif_vips.go, libvips through cgo) registers
// one in decodeConfigFuncs and decodeFuncs and sets heifProfile; the
// default build answers 415 with a message naming the build.

// heifProfile returns the ICC profile of a HEIF container, or nil. It is
// nil in builds without a HEIF decoder.
var heifProfile func(data []byte) []byte

// HEIFSupported reports whether this build decodes HEIC and AVIF uploads.
func HEIFSupported() bool { return decodeFuncs[formatHEIC] != nil }
