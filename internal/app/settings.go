package app

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

// Setting is one environment variable of the server. The settings table
// (every Group registered with register) is the only way Load reads the
// environment, and `gramd help` and `gramd config check` print it, so the
// documentation of a setting cannot drift from what is read.
type Setting struct {
	Name string
	// Default is the value used when the variable is unset or blank. It
	// may name other settings as ${NAME}, which stand for their effective
	// values (PUBLIC_URL's default is http://localhost:${PORT}).
	Default string
	// DefaultDoc, when set, is what help shows as the default: for a
	// default that Parse computes from "" (e.g. "on in production").
	DefaultDoc string
	Meaning    string
	// Secret values are never printed, only whether they are set.
	Secret bool
	// Parse reads the effective value (the variable, else the expanded
	// Default) into c, after the settings ranked before it. Its error
	// should not repeat the setting's name: Load prefixes it. A nil Parse
	// is a setting read elsewhere (by the AWS SDK, or before Load).
	Parse func(c *Config, v string) error
}

// Group is a named part of the table; each config_*.go file registers
// its own. Rank orders the groups in help and in Load (lower first), so
// that Parse may rely on the groups ranked before its own (APP_ENV is in
// the first).
type Group struct {
	Name     string
	Rank     int
	Settings []Setting
}

var registry struct {
	sync.Mutex
	groups []Group
}

// register adds g to the table. It is called from init functions; a name
// registered twice is a programming error.
func register(g Group) {
	registry.Lock()
	defer registry.Unlock()
	for _, s := range g.Settings {
		if _, ok := lookupSetting(registry.groups, s.Name); ok {
			panic("app: setting " + s.Name + " registered twice")
		}
	}
	registry.groups = append(registry.groups, g)
	slices.SortStableFunc(registry.groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), strings.Compare(a.Name, b.Name))
	})
}

// Groups returns the settings table, in rank order.
func Groups() []Group {
	registry.Lock()
	defer registry.Unlock()
	return slices.Clone(registry.groups)
}

func lookupSetting(groups []Group, name string) (Setting, bool) {
	for _, g := range groups {
		for _, s := range g.Settings {
			if s.Name == name {
				return s, true
			}
		}
	}
	return Setting{}, false
}

// Source says where an effective value came from.
type Source string

const (
	FromEnv     Source = "env"
	FromDefault Source = "default"
)

// Value is a setting's effective value, as Load read it.
type Value struct {
	Setting
	Value  string
	Source Source
}

// resolver reads the effective values of the table's settings.
type resolver struct {
	groups []Group
	getenv func(string) string
	seen   map[string]bool // expansion in progress, against cycles
}

// value returns the effective value of name and where it came from.
func (r *resolver) value(name string) (string, Source) {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v, FromEnv
	}
	s, ok := lookupSetting(r.groups, name)
	if !ok {
		panic("app: default refers to unknown setting " + name)
	}
	if r.seen[name] {
		panic("app: default of " + name + " refers to itself")
	}
	r.seen[name] = true
	defer delete(r.seen, name)
	return os.Expand(s.Default, func(ref string) string { v, _ := r.value(ref); return v }), FromDefault
}

// parseAll reads every setting of the table into c, in rank order, and
// records the effective values. It returns every error, each prefixed
// with its setting's name.
func parseAll(c *Config, getenv func(string) string) error {
	r := &resolver{groups: Groups(), getenv: getenv, seen: map[string]bool{}}
	var errs []error
	failed := map[string]bool{}
	for _, g := range r.groups {
		for _, s := range g.Settings {
			v, src := r.value(s.Name)
			c.values = append(c.values, Value{Setting: s, Value: v, Source: src})
			if s.Parse == nil || src == FromDefault && refersTo(s.Default, failed) {
				continue // a bad value is reported once, by its own setting
			}
			if err := s.Parse(c, v); err != nil {
				failed[s.Name] = true
				errs = append(errs, fmt.Errorf("%s: %w", s.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// refersTo reports whether the default template names one of names.
func refersTo(template string, names map[string]bool) bool {
	found := false
	os.Expand(template, func(ref string) string { found = found || names[ref]; return "" })
	return found
}
