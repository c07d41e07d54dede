// Package buildinfo says which build of the server is running: the
// version, commit and build date stamped at build time, e.g.
//
//	go build -ldflags "-X github.com/instamern/gram/internal/buildinfo.Version=v1.2.0
//	  -X github.com/instamern/gram/internal/buildinfo.Commit=$(git rev-parse HEAD)
//	  -X github.com/instamern/gram/internal/buildinfo.Date=$(date -u +%FT%TZ)" ./cmd/gramd
//
// or, for what is not stamped, the module version and the VCS information
// the go command records (runtime/debug.ReadBuildInfo).
package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// Stamped with -ldflags -X; empty when not.
var (
	Version string
	Commit  string
	Date    string
)

// Info identifies a build.
type Info struct {
	Version  string // "devel" when neither stamped nor a module version
	Commit   string // "" when unknown
	Date     string // build date, else the commit's date; "" when unknown
	Modified bool   // built from a work tree with uncommitted changes
}

// Get returns the stamped values, completed from the binary's build
// information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return complete(Info{Version: Version, Commit: Commit, Date: Date}, bi)
}

// complete fills what i lacks from bi (which may be nil).
func complete(i Info, bi *debug.BuildInfo) Info {
	if bi == nil {
		bi = &debug.BuildInfo{}
	}
	stamped := i.Commit != ""
	if i.Version == "" && bi.Main.Version != "(devel)" {
		i.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if i.Commit == "" {
				i.Commit = s.Value
			}
		case "vcs.time":
			if i.Date == "" {
				i.Date = s.Value
			}
		case "vcs.modified":
			i.Modified = !stamped && s.Value == "true"
		}
	}
	if i.Version == "" {
		i.Version = "devel"
	}
	return i
}

// String is the one line `gramd version` prints.
func (i Info) String() string {
	commit, date := i.Commit, i.Date
	if commit == "" {
		commit = "unknown"
	}
	if i.Modified {
		commit += " (modified)"
	}
	if date == "" {
		date = "unknown"
	}
	return fmt.Sprintf("gramd %s (commit %s, built %s)", i.Version, commit, date)
}
