package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/instamern/gram/internal/api"
)

var _ api.Observer = (*Metrics)(nil)

// unmatched is the route label of a request no route matched: paths are
// never labels, so that a scan of random URLs adds no series.
const unmatched = "unmatched"

// Begin implements api.Observer: the request is in flight until the
// returned function records it.
func (m *Metrics) Begin() func(route, method string, status int) {
	start := time.Now()
	m.inFlight.Inc()
	return func(route, method string, status int) {
		m.inFlight.Dec()
		if route == "" {
			route = unmatched
		}
		labels := []string{route, methodLabel(method), statusClass(status)}
		m.requests.WithLabelValues(labels...).Inc()
		m.duration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
	}
}

// Limited implements api.Observer.
func (m *Metrics) Limited(class string) { m.limited.WithLabelValues(class).Inc() }

// methodLabel is method when it is a standard one, else "other": a
// client chooses the method, and must not choose new series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "other"
}

// statusClass is "2xx" for 200-299 and so on; statuses outside 100-599
// are "other".
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}
