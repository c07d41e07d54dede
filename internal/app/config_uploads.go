package app

import (
	"errors"
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

func loadUploads(env func(k, def string) string) (UploadsEnv, error) {
	u := UploadsEnv{TempDir: env("UPLOAD_TEMP_DIR", "")}
	var errs [3]error
	u.MaxConcurrent, errs[0] = positiveInt("UPLOAD_MAX_CONCURRENT", env("UPLOAD_MAX_CONCURRENT", "16"))
	u.PerAccount, errs[1] = positiveInt("UPLOAD_MAX_PER_ACCOUNT", env("UPLOAD_MAX_PER_ACCOUNT", "2"))
	mb, err := positiveInt("UPLOAD_DECODE_BUDGET", env("UPLOAD_DECODE_BUDGET", "256"))
	u.DecodeBudget, errs[2] = int64(mb)<<20, err
	return u, errors.Join(errs[:]...)
}

func positiveInt(name, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s: want a positive whole number, not %q", name, s)
	}
	return n, nil
}
