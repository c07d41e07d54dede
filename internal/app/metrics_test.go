package app_test

import (
	"net"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/app"
)

func TestMetricsAddr(t *testing.T) {
	tests := []struct {
		name, addr, wantErr string
	}{
		{"OffByDefault", "", ""},
		{"Loopback", "127.0.0.1:9090", ""},
		{"AnyInterface", ":9090", ""},
		{"NoPort", "127.0.0.1", "METRICS_ADDR"},
		{"URL", "http://127.0.0.1:9090/metrics", "METRICS_ADDR"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := app.Load(func(k string) string { return map[string]string{"METRICS_ADDR": tc.addr, "DATA_DIR": t.TempDir()}[k] })
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Load: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Load = %v, want an error naming %s", err, tc.wantErr)
			case tc.wantErr == "" && cfg.MetricsAddr != tc.addr:
				t.Errorf("MetricsAddr = %q, want %q", cfg.MetricsAddr, tc.addr)
			}
		})
	}
}

// TestMetricsPortBusy: a metrics port in use stops the start, as the
// public one does, instead of a server that runs without its metrics.
func TestMetricsPortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := load(t, map[string]string{"METRICS_ADDR": ln.Addr().String()})
	a, err := app.New(t.Context(), cfg, app.Overrides{Hasher: cheap()})
	if err == nil {
		a.Close()
		t.Fatal("New with a busy METRICS_ADDR succeeded")
	}
	if !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("New = %v, want an error naming METRICS_ADDR", err)
	}
}
