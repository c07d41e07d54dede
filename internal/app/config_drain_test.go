package app

import (
	"strings"
	"testing"
	"time"
)

// TestLoadDrain: DRAIN_DELAY (0 allowed: no balancer to tell) and
// SHUTDOWN_TIMEOUT (never 0: requests in flight get some time).
func TestLoadDrain(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    DrainEnv
		wantErr string
	}{
		{name: "Defaults", want: DrainEnv{Delay: 5 * time.Second, Shutdown: 20 * time.Second}},
		{name: "Set", env: map[string]string{"DRAIN_DELAY": "2s", "SHUTDOWN_TIMEOUT": "1m"}, want: DrainEnv{Delay: 2 * time.Second, Shutdown: time.Minute}},
		{name: "NoDelay", env: map[string]string{"DRAIN_DELAY": "0"}, want: DrainEnv{Shutdown: 20 * time.Second}},
		{name: "DelayBad", env: map[string]string{"DRAIN_DELAY": "a while"}, wantErr: "DRAIN_DELAY"},
		{name: "ShutdownZero", env: map[string]string{"SHUTDOWN_TIMEOUT": "0"}, wantErr: "SHUTDOWN_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load = %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Drain != tt.want {
				t.Errorf("Drain = %+v, want %+v", c.Drain, tt.want)
			}
		})
	}
}
