package sqlstore

import (
	"slices"
	"testing"
)

// schemaQueries read a migrated schema: its tables, a table's primary key
// in key order, and the tables a table's foreign keys point at.
var schemaQueries = map[string]struct{ tables, key, parents string }{
	"sqlite": {
		tables:  `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
		key:     `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`,
		parents: `SELECT "table" FROM pragma_foreign_key_list(?)`,
	},
	"postgres": {
		tables: `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
		key: `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
		parents: `SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f'`,
	},
}

// TestTablesCoverSchema checks Tables against the schema the migrations
// make, on both dialects: every table is listed once (so a new table
// cannot be left out of a copy), with its primary key, after every table
// its foreign keys point at.
func TestTablesCoverSchema(t *testing.T) {
	for name, open := range map[string]func(*testing.T) *Store{"SQLite": OpenTestSQLite, "PostgreSQL": OpenTestPostgres} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			q := schemaQueries[s.d.name]
			strs := func(query string, args ...any) []string {
				t.Helper()
				rows, err := s.w.QueryContext(t.Context(), s.d.rebind(query), args...)
				out, err := collect(rows, err, scanID)
				if err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				return out
			}
			var listed []string
			for _, tb := range Tables() {
				listed = append(listed, tb.Name)
			}
			schema := slices.DeleteFunc(strs(q.tables), func(n string) bool { return n == "schema_migrations" })
			slices.Sort(schema)
			if sorted := slices.Sorted(slices.Values(listed)); !slices.Equal(sorted, schema) {
				t.Fatalf("Tables() = %v\nschema has %v", sorted, schema)
			}
			for i, tb := range Tables() {
				if key := strs(q.key, tb.Name); !slices.Equal(key, tb.Key) {
					t.Errorf("%s: key %v, schema's primary key is %v", tb.Name, tb.Key, key)
				}
				for _, p := range strs(q.parents, tb.Name) {
					if j := slices.Index(listed, p); j >= i {
						t.Errorf("%s references %s, which Tables() lists at or after it", tb.Name, p)
					}
				}
			}
		})
	}
}
