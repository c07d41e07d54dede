package storetest

import (
	"context"
	"slices"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/instamern/gram/internal/gram"
)

// errOf drops a value and keeps the error.
func errOf[T any](_ T, err error) error { return err }

// sortedIDs returns the users' ids, sorted.
func sortedIDs(us []*gram.User) []string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return sortStrings(ids)
}

// usernames returns the users' names in order.
func usernames(us []*gram.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Username
	}
	return out
}

// postIDs returns the posts' ids in order.
func postIDs(ps []*gram.Post) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// sortStrings returns a sorted copy of ss.
func sortStrings(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

// newestFirst sorts posts by (CreatedAt, ID) descending, the feed order.
func newestFirst(ps []*gram.Post) []*gram.Post {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b *gram.Post) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return compareStrings(b.ID, a.ID)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpNilEmpty treats nil and empty slices as equal.
var cmpNilEmpty = cmpopts.EquateEmpty()

// ctxT is the context type the list methods take.
type ctxT = context.Context

// itoa formats a small number with two digits, so names sort by number.
func itoa(i int) string { return string([]byte{byte('0' + i/10%10), byte('0' + i%10)}) }
