package blob_test

import (
	"testing"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/blob/blobtest"
	"github.com/instamern/gram/internal/gram"
)

func TestMem(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T) gram.BlobStore {
		return serve(t, func(base string) gram.BlobStore { return blob.NewMem(base) })
	})
}
