package legacy

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Tally counts what the import did with one kind of record.
type Tally struct {
	Kind string
	// Read counts the records found in the source: documents for users,
	// posts, comments and stories; entries of the embedded arrays for
	// follows (distinct edges), likes and notifications.
	Read int64
	// Imported counts the records written now, Present those an earlier
	// run wrote already, Skipped those not written (by reason).
	Imported, Present, Skipped int64
	// Repaired counts the records written (now or before) with a repair
	// (by what was repaired); one record may have several.
	Repaired int64
	Skips    map[string]int64
	Repairs  map[string]int64
}

func newTally(kind string) *Tally {
	return &Tally{Kind: kind, Skips: map[string]int64{}, Repairs: map[string]int64{}}
}

// Report is the outcome of an import.
type Report struct {
	Source  string
	Target  string
	Media   string
	Started time.Time
	Took    time.Duration
	Tallies []*Tally
}

// Tally returns the tally of kind, nil if there is none.
func (r *Report) Tally(kind string) *Tally {
	for _, t := range r.Tallies {
		if t.Kind == kind {
			return t
		}
	}
	return nil
}

// Write prints the report: a table of counts per kind, then every skip
// and repair reason with its count.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "import from %s into %s\n", r.Source, r.Target)
	fmt.Fprintf(w, "media: %s\n", r.Media)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tread\timported\talready there\trepaired\tskipped\t")
	for _, t := range r.Tallies {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", t.Kind, t.Read, t.Imported, t.Present, t.Repaired, t.Skipped)
	}
	_ = tw.Flush()
	for _, t := range r.Tallies {
		for _, what := range []struct {
			label string
			m     map[string]int64
		}{{"skipped", t.Skips}, {"repaired", t.Repairs}} {
			for _, reason := range slices.Sorted(maps.Keys(what.m)) {
				fmt.Fprintf(w, "  %s %s: %d %s\n", t.Kind, what.label, what.m[reason], reason)
			}
		}
	}
	fmt.Fprintf(w, "took %v\n", r.Took.Round(time.Millisecond))
}

// String is the report as Write prints it.
func (r *Report) String() string {
	var b strings.Builder
	r.Write(&b)
	return b.String()
}
