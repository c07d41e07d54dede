package blob

import (
	"context"
	"fmt"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Sweep deletes the orphans under prefix: objects last modified before
// olderThan for which referenced reports false. It returns how many it
// deleted.
//
// The grace period (olderThan, e.g. now minus one hour) protects uploads in
// flight, whose object is written before the row that references it.
// Sweep stops at the first error, leaving the rest for the next run; it is
// safe to run concurrently with itself and with uploads.
func Sweep(ctx context.Context, store gram.BlobStore, prefix string, olderThan time.Time,
	referenced func(key string) (bool, error)) (deleted int, err error) {
	objs, err := store.List(ctx, prefix)
	if err != nil {
		return 0, err
	}
	for _, o := range objs {
		if !o.LastModified.Before(olderThan) {
			continue
		}
		ok, err := referenced(o.Key)
		if err != nil {
			return deleted, fmt.Errorf("blob: sweep %q: %w", o.Key, err)
		}
		if ok {
			continue
		}
		if err := store.Delete(ctx, o.Key); err != nil {
			return deleted, err
		}
		deleted++
	}
	return deleted, nil
}
