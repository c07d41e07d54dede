package sqlstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/storetest"
)

// TestShieldManyEdges takes the path of a viewer with more edges than
// one read of them brings (shieldAll, lowered to 1 here): lookups of the
// ids, on both dialects, with the same answer.
func TestShieldManyEdges(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *Store{"SQLite": OpenTestSQLite, "PostgreSQL": OpenTestPostgres} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			me, a, b, c := storetest.NewUser(t, s, "me"), storetest.NewUser(t, s, "a"), storetest.NewUser(t, s, "b"), storetest.NewUser(t, s, "c")
			for _, e := range []func() (bool, error){
				func() (bool, error) { return s.Block(t.Context(), me.ID, a.ID, storetest.T0, 10) },
				func() (bool, error) { return s.Block(t.Context(), b.ID, me.ID, storetest.T0, 10) },
				func() (bool, error) { return s.Mute(t.Context(), me.ID, c.ID, storetest.T0, 10) },
			} {
				if _, err := e(); err != nil {
					t.Fatal(err)
				}
			}
			ids := []string{a.ID, b.ID, c.ID, me.ID, a.ID}
			want := gram.Shield{Blocked: map[string]bool{a.ID: true, b.ID: true}, Muted: map[string]bool{c.ID: true}}
			for _, most := range []int{0, 1} {
				s.shieldAll = most
				got, err := s.Shield(t.Context(), me.ID, ids)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("shieldAll %d (-want +got):\n%s", most, diff)
				}
			}
		})
	}
}
