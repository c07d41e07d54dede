package metrics

import "time"

// HashWaited observes a password hash's wait for a slot
// (gram.Hasher.Waited) in gram_password_hash_wait_seconds.
func (m *Metrics) HashWaited(wait time.Duration) { m.hashWait.Observe(wait.Seconds()) }
