// Package storetest is the conformance suite every gram.Store backend
// passes: it pins the contract written on the gram.Store interface
// (errors, ordering, atomicity, counters, cascades) through that
// interface only.
package storetest

import (
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// test is one behaviour of the contract, run on a fresh store.
type test struct {
	name string
	fn   func(t *testing.T, s gram.Store)
}

// Run runs the whole suite. newStore must return a fresh, empty store for
// each subtest; Run closes it when the subtest ends (before any cleanup
// newStore registered). Subtests run in parallel.
func Run(t *testing.T, newStore func(t *testing.T) gram.Store) {
	t.Helper()
	groups := [][]test{
		userTests, searchTests, deleteUserTests, sessionTests, followTests,
		postTests, pageTests, homeTests, likeTests, savedTests, commentTests, storyTests,
		notificationTests, passwordResetTests, emailChangeTests, outboxTests, blobQueueTests, backlogTests, adminTests, jobTests,
		blockTests, followRequestTests, reportTests, exportTests, importTests,
	}
	for _, g := range groups {
		for _, tc := range g {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				s := newStore(t)
				t.Cleanup(func() {
					if err := s.Close(); err != nil {
						t.Errorf("Close: %v", err)
					}
				})
				tc.fn(t, s)
			})
		}
	}
}
