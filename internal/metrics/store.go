package metrics

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/instamern/gram/internal/gram"
)

// WatchPools registers the statistics of each connection pool
// (sql.DB.Stats, read at scrape time) as the go_sql_* series labelled
// db_name with the pool's name.
func (m *Metrics) WatchPools(pools map[string]*sql.DB) error {
	for name, db := range pools {
		if err := m.Register(collectors.NewDBStatsCollector(db, name)); err != nil {
			return err
		}
	}
	return nil
}

// WatchBacklog registers the store's backlog, queried at each scrape
// within timeout: a scrape during a database outage lacks these series
// (and logs why) rather than hanging.
func (m *Metrics) WatchBacklog(store gram.Backlogs, timeout time.Duration, now func() time.Time) error {
	return m.Register(&backlogCollector{store: store, timeout: timeout, now: now})
}

var (
	mailPendingDesc = prometheus.NewDesc("gram_mail_outbox_pending",
		"Outbox messages neither sent nor given up.", nil, nil)
	mailOldestDesc = prometheus.NewDesc("gram_mail_outbox_oldest_pending_age_seconds",
		"Age of the oldest pending outbox message; 0 when none is pending.", nil, nil)
	blobPendingDesc = prometheus.NewDesc("gram_blob_deletions_pending",
		"Media removals queued and not yet confirmed by the media store.", nil, nil)
)

// backlogCollector reads gram.Backlog at scrape time.
type backlogCollector struct {
	store   gram.Backlogs
	timeout time.Duration
	now     func() time.Time
}

func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- mailPendingDesc
	ch <- mailOldestDesc
	ch <- blobPendingDesc
}

func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	b, err := c.store.Backlog(ctx)
	if err != nil {
		for _, d := range []*prometheus.Desc{mailPendingDesc, mailOldestDesc, blobPendingDesc} {
			ch <- prometheus.NewInvalidMetric(d, err)
		}
		return
	}
	age := 0.0
	if !b.OldestMail.IsZero() {
		age = max(c.now().Sub(b.OldestMail).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(mailPendingDesc, prometheus.GaugeValue, float64(b.MailPending))
	ch <- prometheus.MustNewConstMetric(mailOldestDesc, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(blobPendingDesc, prometheus.GaugeValue, float64(b.BlobDeletions))
}
