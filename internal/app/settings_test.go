package app

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestSettingsTable: the loader reads the environment through the table
// alone, reads every setting of it, and help prints every one of them:
// the documentation cannot drift from what is read.
func TestSettingsTable(t *testing.T) {
	table := map[string]Setting{}
	for _, g := range Groups() {
		if len(g.Settings) == 0 {
			t.Errorf("group %q has no settings", g.Name)
		}
		for _, s := range g.Settings {
			table[s.Name] = s
			if s.Meaning == "" {
				t.Errorf("%s has no meaning", s.Name)
			}
			os.Expand(s.Default, func(ref string) string {
				if _, ok := lookupSetting(Groups(), ref); !ok {
					t.Errorf("the default of %s names %s, which is not a setting", s.Name, ref)
				}
				return ""
			})
		}
	}
	read := map[string]bool{}
	getenv := func(k string) string { read[k] = true; return "" }
	if _, err := Load(getenv); err != nil {
		t.Fatal(err)
	}
	if _, err := WithDotEnv(getenv); err != nil {
		t.Fatal(err)
	}
	for name := range read {
		if _, ok := table[name]; !ok {
			t.Errorf("Load reads %s, which is not in the settings table (and so not in gramd help)", name)
		}
	}
	var help bytes.Buffer
	WriteSettingsHelp(&help)
	for name, s := range table {
		if !read[name] {
			t.Errorf("%s is in the table but Load does not read it", name)
		}
		if line := "  " + name + " (default: " + DefaultText(s) + ")\n"; !strings.Contains(help.String(), line) {
			t.Errorf("help lacks %q", line)
		}
	}
}

func TestMasked(t *testing.T) {
	tests := []struct {
		name   string
		secret bool
		value  string
		want   string
	}{
		{name: "Secret", secret: true, value: "jwt-secret", want: "xxxxx"},
		{name: "UnsetSecret", secret: true, value: "", want: ""},
		{name: "Plain", value: "./data/media", want: "./data/media"},
		{name: "URLPassword", value: "postgres://gram:pw@db:5432/gram?sslmode=require", want: "postgres://gram:xxxxx@db:5432/gram?sslmode=require"},
		{name: "URLUserOnly", value: "smtp://user@mail.example.com:587", want: "smtp://user@mail.example.com:587"},
		{name: "RedisPasswordOnly", value: "redis://:pw@127.0.0.1:6379/0", want: "redis://:xxxxx@127.0.0.1:6379/0"},
		{name: "QueryCredentials", value: "https://cdn.example.com/m?token=t&X-Amz-Signature=s&size=1",
			want: "https://cdn.example.com/m?X-Amz-Signature=xxxxx&size=1&token=xxxxx"},
		{name: "SQLitePath", value: "sqlite:./data/gram.db", want: "sqlite:./data/gram.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Masked(Setting{Secret: tt.secret}, tt.value); got != tt.want {
				t.Errorf("Masked(%q) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

// TestREADMEListsEverySetting: the README's settings table names every
// setting of the table, so its documentation keeps up.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range Groups() {
		for _, s := range g.Settings {
			if !strings.Contains(string(b), "`"+s.Name+"`") {
				t.Errorf("README.md does not document %s", s.Name)
			}
		}
	}
}
