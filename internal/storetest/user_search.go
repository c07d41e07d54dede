package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var searchTests = []test{
	{"SearchUsers/PrefixFirst", testSearchPrefixFirst},
	{"SearchUsers/Literal", testSearchLiteral},
	{"SearchUsers/HidesInactive", testSearchHidesInactive},
	{"Lookups/UnstorableText", testUnstorableLookups},
	{"SampleUsers/WrapsAround", testSampleWraps},
}

// searchWorld creates users whose names exercise LIKE wildcards, regex
// metacharacters and collation (punctuation that a locale may ignore).
func searchWorld(t *testing.T, s gram.Store) {
	t.Helper()
	for _, name := range []string{"ann", "anna", "joanna", "aan", "a_n", "axn", "a%n", "a.n", "a-n", `a\n`, "an.x", "b(c)", "z"} {
		NewUser(t, s, name)
	}
}

func testSearchPrefixFirst(t *testing.T, s gram.Store) {
	searchWorld(t, s)
	for _, c := range []struct {
		query string
		limit int
		want  []string
	}{
		// Prefix matches (by name) come before other matches (by name).
		{"an", 10, []string{"an.x", "ann", "anna", "aan", "joanna"}},
		{"an", 2, []string{"an.x", "ann"}},
		{"an", 4, []string{"an.x", "ann", "anna", "aan"}},
		{"nn", 10, []string{"ann", "anna", "joanna"}},
		{"z", 10, []string{"z"}},
		{"AN", 2, []string{"an.x", "ann"}},
		{"nomatch", 10, nil},
	} {
		got, err := s.SearchUsers(t.Context(), c.query, c.limit)
		noErr(t, "SearchUsers", err)
		if diff := cmp.Diff(c.want, usernames(got), cmpNilEmpty); diff != "" {
			t.Errorf("SearchUsers(%q, %d) (-want +got):\n%s", c.query, c.limit, diff)
		}
	}
}

// testSearchLiteral: the query is a literal, never a LIKE pattern or regex.
func testSearchLiteral(t *testing.T, s gram.Store) {
	searchWorld(t, s)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"a_n", []string{"a_n"}},
		{"_", []string{"a_n"}},
		{"a%n", []string{"a%n"}},
		{"%", []string{"a%n"}},
		{"a.n", []string{"a.n"}},
		{".", []string{"a.n", "an.x"}},
		{".*", nil},
		{"a-n", []string{"a-n"}},
		{`a\n`, []string{`a\n`}},
		{`\`, []string{`a\n`}},
		{"(c)", []string{"b(c)"}},
		{"^a", nil},
		{"[a]", nil},
	} {
		got, err := s.SearchUsers(t.Context(), c.query, 10)
		noErr(t, "SearchUsers", err)
		if diff := cmp.Diff(c.want, usernames(got), cmpNilEmpty); diff != "" {
			t.Errorf("SearchUsers(%q) (-want +got):\n%s", c.query, diff)
		}
	}
}

func testSearchHidesInactive(t *testing.T, s gram.Store) {
	NewUser(t, s, "sam")
	Deactivate(t, s, NewUser(t, s, "samantha"))
	Deactivate(t, s, NewUser(t, s, "isam"))
	got, err := s.SearchUsers(t.Context(), "sam", 10)
	noErr(t, "SearchUsers", err)
	if diff := cmp.Diff([]string{"sam"}, usernames(got)); diff != "" {
		t.Errorf("SearchUsers (-want +got):\n%s", diff)
	}
}

func testSampleWraps(t *testing.T, s gram.Store) {
	var all []*gram.User
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5", "u6"} {
		all = append(all, NewUser(t, s, n))
	}
	Deactivate(t, s, all[5])
	ids := sortedIDs(all[:5])
	for _, c := range []struct {
		from  string
		limit int
		want  []string
	}{
		{ids[0], 3, ids[:3]},
		{ids[3], 4, []string{ids[3], ids[4], ids[0], ids[1]}},
		{ids[2], 10, []string{ids[2], ids[3], ids[4], ids[0], ids[1]}},
		{"ffffffffffffffffffffffff", 2, ids[:2]},
		{"", 10, ids},
	} {
		got, err := s.SampleUsers(t.Context(), c.from, c.limit)
		noErr(t, "SampleUsers", err)
		gotIDs := make([]string, len(got))
		for i, u := range got {
			gotIDs[i] = u.ID
		}
		if diff := cmp.Diff(c.want, gotIDs); diff != "" {
			t.Errorf("SampleUsers(%q, %d) (-want +got):\n%s", c.from, c.limit, diff)
		}
	}
}

// testUnstorableLookups: text no backend can store (NUL, invalid UTF-8)
// finds nothing, on every backend alike, rather than failing (PostgreSQL)
// or matching everyone (SQLite cuts a LIKE pattern at a NUL).
func testUnstorableLookups(t *testing.T, s gram.Store) {
	NewUser(t, s, "alice")
	NewUser(t, s, "bob")
	for _, q := range []string{"\x00", "al\x00", "alice\x00", "\xff", "ali\xc3\x28ce", "a\xff"} {
		got, err := s.SearchUsers(t.Context(), q, 10)
		noErr(t, "SearchUsers", err)
		if len(got) != 0 {
			t.Errorf("SearchUsers(%q) = %v, want none", q, usernames(got))
		}
		listed, err := s.ListUsers(t.Context(), q, gram.Page{Limit: 10})
		noErr(t, "ListUsers", err)
		if len(listed) != 0 {
			t.Errorf("ListUsers(%q) = %v, want none", q, usernames(listed))
		}
		_, err = s.UserByUsername(t.Context(), q)
		wantErr(t, "UserByUsername("+q+")", err, gram.ErrNotFound)
		_, err = s.UserByEmail(t.Context(), q+"@example.com")
		wantErr(t, "UserByEmail("+q+")", err, gram.ErrNotFound)
	}
}
