package app

import (
	"fmt"
	"net"
)

// METRICS_ADDR is empty, and metrics off, by default: a fixed default
// port would collide between two servers on one host, and the listener
// is meant for a private interface the operator picks (127.0.0.1:9090,
// or the address the scraper reaches on a private network).
func init() {
	register(Group{Name: "Metrics", Rank: 90, Settings: []Setting{
		{Name: "METRICS_ADDR", DefaultDoc: "off", Parse: parseMetricsAddr,
			Meaning: "host:port of a second listener serving Prometheus metrics at GET /metrics (e.g. 127.0.0.1:9090); " +
				"never on the public port"},
	}})
}

func parseMetricsAddr(c *Config, v string) error {
	if v == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		return fmt.Errorf("want host:port such as 127.0.0.1:9090, not %q", v)
	}
	c.MetricsAddr = v
	return nil
}
