package main

import (
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestE2E_Metrics starts gramd with METRICS_ADDR and mail that cannot be
// delivered (a closed port), scrapes /metrics, drives a signup (which
// queues a welcome mail), a rate-limited signup, an unknown URL and an
// upload, and scrapes again: every series is there and the ones these
// requests touch have moved.
func TestE2E_Metrics(t *testing.T) {
	addr := "127.0.0.1:" + freePort(t)
	g := startGramd(t, "", "METRICS_ADDR="+addr, "RATE_LIMIT_SIGNUP=1/1h",
		"MAIL_URL=smtp://127.0.0.1:"+freePort(t)+"?tls=none")
	url := "http://" + addr + "/metrics"
	g.waitLog(`"metrics listening"`, 5*time.Second)
	before := scrape(t, url)

	signup := func(name string, want int) *reply {
		return g.call("POST", "/instamern/users/signup", "", map[string]string{"firstname": "Mia", "lastname": "Tric",
			"username": name, "email": name + "@example.com", "password": "lantern-orbit-42", "passwordConfirm": "lantern-orbit-42"}, want)
	}
	tok := signup("mia", 201).Token
	signup("mio", 429)
	g.call("GET", "/no/such/page", "", nil, 404)
	g.upload("/instamern/posts/upload", tok, "post", testJPEG(t, 600, 750), map[string]string{"caption": "hi"}, 201)
	after := scrape(t, url)

	signupRoute := map[string]string{"route": "POST /instamern/users/signup", "method": "POST"}
	moved := []struct {
		name   string
		labels map[string]string
		min    float64 // after - before at least; 0: the series only has to exist
	}{
		{"gram_http_requests_total", with(signupRoute, "code", "2xx"), 1},
		{"gram_http_requests_total", with(signupRoute, "code", "4xx"), 1},
		{"gram_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "code": "4xx"}, 1},
		{"gram_http_request_duration_seconds", with(signupRoute, "code", "2xx"), 1},
		{"gram_rate_limit_rejections_total", map[string]string{"class": "signup"}, 1},
		{"gram_password_hash_wait_seconds", nil, 1},
		{"gram_image_processing_seconds", map[string]string{"kind": "post", "outcome": "ok"}, 1},
		{"gram_mail_outbox_pending", nil, 1},
		{"go_sql_open_connections", map[string]string{"db_name": "writer"}, 0},
		{"gram_blob_deletions_pending", nil, 0},
		{"gram_http_requests_in_flight", nil, 0},
		{"gram_build_info", nil, 0},
		{"go_goroutines", nil, 0},
		{"process_resident_memory_bytes", nil, 0},
	}
	for _, m := range moved {
		a, ok := sample(after, m.name, m.labels)
		if !ok {
			t.Errorf("no %s%v after the requests", m.name, m.labels)
			continue
		}
		b, _ := sample(before, m.name, m.labels)
		if m.min > 0 && a-b < m.min {
			t.Errorf("%s%v went from %v to %v; want a rise of at least %v", m.name, m.labels, b, a, m.min)
		}
	}
	if age, _ := sample(after, "gram_mail_outbox_oldest_pending_age_seconds", nil); age <= 0 {
		t.Errorf("oldest pending mail is %vs old; want > 0 with the welcome mail undeliverable", age)
	}
	if res, err := http.Get(g.base + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public listener: %v %v; want 404", res.Status, err)
	}
}

// scrape GETs url and parses the text exposition.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	res := getOK(t, url)
	defer res.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fams
}

// sample is the value of the series name with labels (a subset of its
// labels): a counter's or gauge's value, a histogram's count.
func sample(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	f := fams[name]
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.Untyped != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

// with is labels plus k=v.
func with(labels map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for lk, lv := range labels {
		out[lk] = lv
	}
	return out
}
