package blob_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
)

// serve starts an HTTP server that serves /media/ from the store that
// newStore builds with the server's URL as its public base, the way the
// app serves Disk objects.
func serve(t *testing.T, newStore func(base string) gram.BlobStore) gram.BlobStore {
	t.Helper()
	var h func(http.ResponseWriter, *http.Request) error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound) // any refusal: the suite only tells 200 from not
		}
	}))
	t.Cleanup(srv.Close)
	s := newStore(srv.URL)
	h = blob.Handler(s)
	return s
}
