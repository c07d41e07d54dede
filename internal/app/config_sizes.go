package app

import (
	"fmt"
	"strconv"
	"strings"
)

// SizesEnv bound the bodies a client may send.
type SizesEnv struct {
	JSON  int64 // JSON_MAX_BYTES: a JSON request body
	Photo int64 // UPLOAD_MAX_BYTES: the photo of an upload
}

const (
	kib = 1 << 10
	mib = 1 << 20
)

func init() {
	register(Group{Name: "Request sizes", Rank: 75, Settings: []Setting{
		{Name: "JSON_MAX_BYTES", Default: "1MiB", Meaning: "the largest JSON request body (4KiB to 64MiB); a larger one gets 413. " +
			"Sizes are bytes, or a number with KiB, MiB or GiB (K, M, G and KB, MB, GB mean the same)",
			Parse: func(c *Config, v string) (err error) { c.Sizes.JSON, err = parseSize(v, 4*kib, 64*mib); return err }},
		{Name: "UPLOAD_MAX_BYTES", Default: "20MiB", Meaning: "the largest photo of an upload (1MiB to 200MiB); a larger one gets 413. " +
			"UPLOAD_TEMP_DIR needs room for UPLOAD_MAX_CONCURRENT of them",
			Parse: func(c *Config, v string) (err error) { c.Sizes.Photo, err = parseSize(v, mib, 200*mib); return err }},
	}})
}

// sizeUnits are the suffixes parseSize accepts, longest first.
var sizeUnits = []struct {
	suffix string
	factor int64
}{
	{"GiB", 1 << 30}, {"MiB", mib}, {"KiB", kib},
	{"GB", 1 << 30}, {"MB", mib}, {"KB", kib},
	{"G", 1 << 30}, {"M", mib}, {"K", kib}, {"B", 1},
}

// parseSize reads a byte count with an optional binary unit, within
// [lo, hi].
func parseSize(v string, lo, hi int64) (int64, error) {
	num, factor := v, int64(1)
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(strings.ToUpper(v), strings.ToUpper(u.suffix)); ok {
			num, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > hi/factor+1 {
		return 0, fmt.Errorf("want a size such as 1048576, 512KiB or 20MiB, not %q", v)
	}
	if size := n * factor; size >= lo && size <= hi {
		return size, nil
	}
	return 0, fmt.Errorf("must be between %s and %s, not %q", formatSize(lo), formatSize(hi), v)
}

// formatSize writes a size with the largest unit that divides it.
func formatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
