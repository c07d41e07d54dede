package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopyDBRefusals: copy-db refuses a target that is its source, and
// a target it cannot write yet, before opening anything.
func TestCopyDBRefusals(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		from, to string
		want     string
	}{
		{"SameFile", "sqlite:" + dir + "/./a.db", filepath.Join(dir, "a.db"), "the same database"},
		{"SamePostgres", "postgres://h/db", "postgres://h/db", "the same database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := (copyDB{from: tt.from, to: tt.to}).check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check() = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("MongoDBNotYet", func(t *testing.T) {
		if _, _, err := openCopyTarget(t.Context(), "mongodb://127.0.0.1:1/gram"); err == nil || !strings.Contains(err.Error(), "MongoDB") {
			t.Errorf("openCopyTarget(mongodb://) = %v, want an error naming MongoDB", err)
		}
	})
}
