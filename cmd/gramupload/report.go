package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"
)

// write prints r as Markdown.
func (r *result) write(w io.Writer) {
	fmt.Fprintf(w, "%d concurrent %s uploads of %.2f MB from %d accounts, %s\n\n", r.Uploads, r.Kind,
		float64(r.ImageBytes)/1e6, r.Accounts, r.Elapsed.Round(100*time.Millisecond))
	fmt.Fprintf(w, "| Memory | MB |\n|---|---|\n")
	fmt.Fprintf(w, "| RSS before the uploads | %d |\n", r.Before>>20)
	if r.PeakHWM > 0 {
		fmt.Fprintf(w, "| **peak RSS (VmHWM)** | **%d** |\n", r.PeakHWM>>20)
	}
	fmt.Fprintf(w, "| peak RSS sampled every 10 ms | %d |\n", r.PeakSampled>>20)
	fmt.Fprintf(w, "| peak memory mapped by the Go runtime, sampled | %d |\n\n", r.PeakGoTotal>>20)
	fmt.Fprintf(w, "| Status | Message | Count | Fastest | Median | Slowest |\n|---|---|---|---|---|---|\n")
	for _, g := range groupOutcomes(r.Outcomes) {
		fmt.Fprintf(w, "| %d | %s | %d | %s | %s | %s |\n", g.status, g.message, len(g.took),
			round(g.took[0]), round(g.took[len(g.took)/2]), round(g.took[len(g.took)-1]))
	}
	fmt.Fprintf(w, "\nFiles left in the upload temp dir: %d\n", r.TempLeft)
}

type outcomeGroup struct {
	status  int
	message string
	took    []time.Duration // sorted
}

func groupOutcomes(os []outcome) []outcomeGroup {
	var gs []outcomeGroup
	for _, o := range os {
		i := slices.IndexFunc(gs, func(g outcomeGroup) bool { return g.status == o.Status && g.message == o.Message })
		if i < 0 {
			gs = append(gs, outcomeGroup{status: o.Status, message: o.Message})
			i = len(gs) - 1
		}
		gs[i].took = append(gs[i].took, o.Took)
	}
	for _, g := range gs {
		slices.Sort(g.took)
	}
	slices.SortFunc(gs, func(a, b outcomeGroup) int { return cmp.Compare(a.status, b.status) })
	return gs
}

func round(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
