package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestRun runs every phase briefly on a tiny SQLite dataset and checks
// the written report: every phase present, no request failed, the like
// counts exact, the targets evaluated.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a database and logs users in")
	}
	out := t.TempDir()
	args := []string{"-data", t.TempDir(), "-users", "60", "-posts", "400", "-likes", "2000", "-comments", "300",
		"-follows", "300", "-stories", "10", "-conns", "4", "-duration", "400ms", "-phase-duration", "300ms",
		"-read-posts", "100", "-read-posts-deep", "20", "-out", out}
	var md strings.Builder
	if err := run(t.Context(), args, &md, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range r.Phases {
		names = append(names, p.Name)
		if runtime.GOOS == "linux" && p.CPUSeconds <= 0 {
			t.Errorf("%s: no CPU time measured", p.Name)
		}
		for _, e := range p.Endpoints {
			if e.Errors > 0 || e.Requests == 0 {
				t.Errorf("%s/%s: %d requests, %d errors (%s)", p.Name, e.Name, e.Requests, e.Errors, e.FirstError)
			}
		}
	}
	if got, want := strings.Join(names, ","), "ceiling,mix,feed,post,profile,like,storm,deep,home"; got != want {
		t.Errorf("phases %s; want %s", got, want)
	}
	if r.Like == nil || !r.Like.Exact || r.Like.Toggles == 0 {
		t.Errorf("like check %+v; want exact after some toggles", r.Like)
	}
	if r.Backend != "sqlite" || r.Dataset.Users != 60 || !r.Dataset.Seeded || r.CeilingRPS <= 0 || len(r.Targets) < 7 {
		t.Errorf("report header %+v / %+v, ceiling %v, %d targets", r.Backend, r.Dataset, r.CeilingRPS, len(r.Targets))
	}
	if !strings.Contains(md.String(), "| feed |") {
		t.Errorf("Markdown has no feed row:\n%s", md.String())
	}
	// A second run reuses the seeded data.
	if err := run(t.Context(), append(args[:len(args)-2], "-phases", "feed"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
}

func TestPct(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i))
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{50, 50}, {90, 90}, {99, 99}, {100, 100}, {0, 1}} {
		if got := pct(s, tt.p); got != tt.want {
			t.Errorf("pct(%v) = %v; want %v", tt.p, got, tt.want)
		}
	}
	if pct(nil, 50) != 0 {
		t.Error("pct of nothing is not 0")
	}
}
