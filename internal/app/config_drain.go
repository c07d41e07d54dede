package app

import "time"

// DrainEnv is how a replica stops when it is told to (SIGTERM): /readyz
// fails at once, requests are still served for Delay so that a load
// balancer notices and stops sending more, then the server stops taking
// connections and gives the requests in flight up to Shutdown to finish.
type DrainEnv struct {
	Delay    time.Duration // DRAIN_DELAY: serving with /readyz failing, before the listener closes
	Shutdown time.Duration // SHUTDOWN_TIMEOUT: bound on the requests in flight after that
}

func init() {
	register(Group{Name: "Graceful stop", Rank: 75, Settings: []Setting{
		{Name: "DRAIN_DELAY", Default: "5s", Parse: parseDrainDelay,
			Meaning: "on SIGTERM, how long the server goes on serving with /readyz answering 503 (draining), so that a load balancer " +
				"stops sending it requests, before it closes its listener; 0 for none (no balancer). A second signal ends the process at once"},
		{Name: "SHUTDOWN_TIMEOUT", Default: "20s",
			Meaning: "then, how long the requests in flight get to finish; last the background work stops and releases its claims " +
				"(mail, media deletions, sweeps) for another replica, and the process exits 0",
			Parse: func(c *Config, v string) (err error) { c.Drain.Shutdown, err = parseDuration(v); return err }},
	}})
}

// parseDrainDelay is a duration, or 0: no delay, e.g. a single replica
// without a balancer.
func parseDrainDelay(c *Config, v string) (err error) {
	if v == "0" {
		c.Drain.Delay = 0
		return nil
	}
	c.Drain.Delay, err = parseDuration(v)
	return err
}
