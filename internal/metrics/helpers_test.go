package metrics

import (
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// histogram returns the histogram name with the label pairs kv.
func histogram(t *testing.T, m *Metrics, name string, kv ...string) *dto.Histogram {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, mt := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range mt.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(kv); i += 2 {
				if labels[kv[i]] != kv[i+1] {
					continue next
				}
			}
			return mt.GetHistogram()
		}
	}
	t.Fatalf("no %s%v", name, kv)
	return nil
}
