package app

import (
	"fmt"
	"strconv"
)

// UploadsEnv bound the photo uploads in flight (api.UploadLimits) and the
// image pipeline's memory (media.Config.DecodeBudget).
type UploadsEnv struct {
	MaxConcurrent int    // UPLOAD_MAX_CONCURRENT: in total
	PerAccount    int    // UPLOAD_MAX_PER_ACCOUNT: by one user
	DecodeBudget  int64  // UPLOAD_DECODE_BUDGET, in MB: estimated memory of the decodes in flight
	TempDir       string // UPLOAD_TEMP_DIR: where photos are spooled; "" is the system's temp dir
}

func init() {
	register(Group{Name: "Uploads", Rank: 80, Settings: []Setting{
		{Name: "UPLOAD_MAX_CONCURRENT", Default: "16", Meaning: "photo uploads in flight at once; one more waits up to 10 s, then gets 503",
			Parse: func(c *Config, v string) (err error) { c.Uploads.MaxConcurrent, err = positiveInt(v); return err }},
		{Name: "UPLOAD_MAX_PER_ACCOUNT", Default: "2", Meaning: "photo uploads in flight by one user; one more waits up to 1 s, then gets 429",
			Parse: func(c *Config, v string) (err error) { c.Uploads.PerAccount, err = positiveInt(v); return err }},
		{Name: "UPLOAD_DECODE_BUDGET", Default: "256", Parse: parseDecodeBudget,
			Meaning: "MB: the estimated memory of the photos being decoded and resized at once"},
		{Name: "UPLOAD_TEMP_DIR", DefaultDoc: "the system's temp dir", Meaning: "where each upload's photo is written while it is processed",
			Parse: func(c *Config, v string) error { c.Uploads.TempDir = v; return nil }},
	}})
}

func parseDecodeBudget(c *Config, v string) error {
	mb, err := positiveInt(v)
	c.Uploads.DecodeBudget = int64(mb) << 20
	return err
}

func positiveInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("want a positive whole number, not %q", s)
	}
	return n, nil
}
