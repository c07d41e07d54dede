package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// Report is everything one run measured; it is written as JSON and as
// Markdown.
type Report struct {
	Command      string      `json:"command"`
	Started      time.Time   `json:"started"`
	Machine      Machine     `json:"machine"`
	Backend      string      `json:"backend"`
	Dataset      Dataset     `json:"dataset"`
	Conns        int         `json:"conns"`
	CeilingRPS   float64     `json:"ceiling_rps"`
	CeilingBytes int         `json:"ceiling_bytes"`
	Targets      []Target    `json:"targets"`
	Phases       []*Phase    `json:"phases"`
	Like         *LikeResult `json:"like_check,omitempty"`
}

// Machine describes where the numbers were measured.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPU        string `json:"cpu"`
	OS         string `json:"os"`
	Go         string `json:"go"`
}

// Dataset is the seeded data's size.
type Dataset struct {
	Users       int64   `json:"users"`
	Posts       int64   `json:"posts"`
	Likes       int64   `json:"likes"`
	Comments    int64   `json:"comments"`
	Follows     int64   `json:"follows"`
	Stories     int64   `json:"stories"`
	Seeded      bool    `json:"seeded_this_run"`
	SeedSeconds float64 `json:"seed_seconds,omitempty"`
}

// Target is one of the performance targets, evaluated on this run.
type Target struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// finish fills in the ceiling ratios and the targets.
func (r *Report) finish() {
	for _, p := range r.Phases {
		if e := p.endpoint("ceiling"); e != nil && p.Name == "ceiling" {
			r.CeilingRPS = e.RPS
		}
	}
	for _, p := range r.Phases {
		for i := range p.Endpoints {
			if r.CeilingRPS > 0 {
				p.Endpoints[i].CeilingRatio = p.Endpoints[i].RPS / r.CeilingRPS
			}
		}
	}
	r.Targets = targets(r)
}

// phase returns the named phase's endpoint, or nil.
func (r *Report) get(phase, endpoint string) *Endpoint {
	for _, p := range r.Phases {
		if p.Name == phase {
			return p.endpoint(endpoint)
		}
	}
	return nil
}

// Markdown writes the report as Markdown tables.
func (r *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "## gramload: %s, %s\n\n", r.Backend, r.Started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Command: `%s`\n\n", r.Command)
	fmt.Fprintf(w, "Machine: %d CPUs (GOMAXPROCS %d), %s, %s, %s. Load generator and server share the machine.\n\n",
		r.Machine.CPUs, r.Machine.GOMAXPROCS, r.Machine.CPU, r.Machine.OS, r.Machine.Go)
	d := r.Dataset
	fmt.Fprintf(w, "Dataset: %d users, %d posts, %d likes, %d comments, %d follows, %d stories (seeded this run: %v).\n\n",
		d.Users, d.Posts, d.Likes, d.Comments, d.Follows, d.Stories, d.Seeded)
	fmt.Fprintf(w, "Ceiling: %.0f req/s for a %d-byte pre-serialised feed page at %d connections.\n\n", r.CeilingRPS, r.CeilingBytes, r.Conns)
	if len(r.Targets) > 0 {
		fmt.Fprintf(w, "| Target | Wanted | Measured | Met |\n|---|---|---|---|\n")
		for _, t := range r.Targets {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.Name, t.Want, t.Got, yesNo(t.Met))
		}
		fmt.Fprintln(w)
	}
	for _, p := range r.Phases {
		fmt.Fprintf(w, "### %s: %s (%d connections, %.0f s, process CPU %.2f cores)\n\n", p.Name, p.About, p.Conns, p.Seconds,
			p.CPUSeconds/max(p.Seconds, 1e-9))
		fmt.Fprintf(w, "| Endpoint | Requests | req/s | × ceiling | req/CPU-s | p50 ms | p90 ms | p99 ms | max ms | Errors | First error |\n")
		fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, e := range p.Endpoints {
			fmt.Fprintf(w, "| %s | %d | %.0f | %.3f | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s |\n", e.Name, e.Requests, e.RPS,
				e.CeilingRatio, e.PerCPUSecond, e.P50, e.P90, e.P99, e.Max, e.Errors, cell(e.FirstError))
		}
		for _, n := range p.Notes {
			fmt.Fprintf(w, "\n%s\n", n)
		}
		fmt.Fprintln(w)
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}
