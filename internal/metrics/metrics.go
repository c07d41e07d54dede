// Package metrics exposes the server's Prometheus metrics. It is an
// adapter: the domain and the HTTP API know nothing of Prometheus, only of
// small hooks (api.Observer, gram.Hasher.Waited, gram.ImageProcessor,
// gram.Backlogs), which Metrics implements or wraps and the composition
// root (internal/app) wires.
//
// Every series is named gram_*, except those of the standard collectors:
// go_* (runtime), process_* and go_sql_* (connection pools). Labels are
// bounded: routes are mux patterns, never paths, and methods outside the
// standard set are "other".
package metrics

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/instamern/gram/internal/buildinfo"
)

// Metrics holds the server's series in a registry of its own (not
// Prometheus's global one), so that two servers in one process (tests)
// do not collide.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	limited  *prometheus.CounterVec
	hashWait prometheus.Histogram
	images   *prometheus.HistogramVec
}

// New returns the metrics with the Go runtime, process and build-info
// collectors registered.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gram_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status class."}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gram_http_request_duration_seconds",
		Help:    "Time from a request's arrival to its answer, by route pattern, method and status class.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}, []string{"route", "method", "code"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "gram_http_requests_in_flight",
		Help: "HTTP requests being served."})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gram_rate_limit_rejections_total",
		Help: "Requests refused (429) by a rate limit, by the limit's class."}, []string{"class"})
	m.hashWait = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gram_password_hash_wait_seconds",
		Help:    "Time a password hash or verification waited for one of the hasher's slots.",
		Buckets: []float64{.0005, .001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}})
	m.images = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "gram_image_processing_seconds",
		Help:    "Time the image pipeline took for an upload, waiting for its decode budget included, by kind and outcome.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"kind", "outcome"})
	m.reg.MustRegister(m.requests, m.duration, m.inFlight, m.limited, m.hashWait, m.images,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfo())
	return m
}

// Handler serves the exposition of every registered series. A collector
// that fails (the store, at scrape time) loses its own series only.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, Registry: m.reg})
}

// Register adds collectors to the registry.
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// buildInfo is gram_build_info, always 1, labelled with the build's
// version and commit (buildinfo) and the Go version.
func buildInfo() prometheus.Collector {
	b := buildinfo.Get()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "gram_build_info", Help: "The running build: always 1, labelled.",
		ConstLabels: prometheus.Labels{"version": b.Version, "commit": b.Commit, "goversion": runtime.Version()}})
	g.Set(1)
	return g
}
