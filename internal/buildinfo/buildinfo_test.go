package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestComplete(t *testing.T) {
	vcs := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	tests := []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		want    string
	}{
		{name: "Stamped", stamped: Info{Version: "v1.2.0", Commit: "fff", Date: "2026-12-03"}, bi: vcs,
			want: "gramd v1.2.0 (commit fff, built 2026-12-03)"},
		{name: "FromVCS", bi: vcs, want: "gramd devel (commit abc123 (modified), built 2026-12-01T10:00:00Z)"},
		{name: "Nothing", bi: nil, want: "gramd devel (commit unknown, built unknown)"},
		{name: "ModuleVersion", bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}},
			want: "gramd v1.3.0 (commit unknown, built unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := complete(tt.stamped, tt.bi).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
