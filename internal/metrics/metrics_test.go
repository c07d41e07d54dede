package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/instamern/gram/internal/gram"
)

func TestRequestLabelsAreBounded(t *testing.T) {
	tests := []struct {
		name          string
		route, method string
		status        int
		want          []string // route, method, code
	}{
		{"matched", "GET /instamern/posts/{id}", "GET", 200, []string{"GET /instamern/posts/{id}", "GET", "2xx"}},
		{"unmatched path is one label", "", "GET", 404, []string{"unmatched", "GET", "4xx"}},
		{"invented method is other", "", "BREW", 405, []string{"unmatched", "other", "4xx"}},
		{"server error", "POST /instamern/posts/upload", "POST", 503, []string{"POST /instamern/posts/upload", "POST", "5xx"}},
		{"nonsense status", "GET /healthz", "GET", 999, []string{"GET /healthz", "GET", "other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			end := m.Begin()
			if got := testutil.ToFloat64(m.inFlight); got != 1 {
				t.Errorf("in flight during the request = %v, want 1", got)
			}
			end(tc.route, tc.method, tc.status)
			if got := testutil.ToFloat64(m.inFlight); got != 0 {
				t.Errorf("in flight after the request = %v, want 0", got)
			}
			if got := testutil.ToFloat64(m.requests.WithLabelValues(tc.want...)); got != 1 {
				t.Errorf("gram_http_requests_total%v = %v, want 1", tc.want, got)
			}
			if n := testutil.CollectAndCount(m.duration); n != 1 {
				t.Errorf("duration histograms = %d, want 1", n)
			}
		})
	}
}

func TestLimitedCountsByClass(t *testing.T) {
	m := New()
	for _, c := range []string{"login", "read", "login"} {
		m.Limited(c)
	}
	for class, want := range map[string]float64{"login": 2, "read": 1, "write": 0} {
		if got := testutil.ToFloat64(m.limited.WithLabelValues(class)); got != want {
			t.Errorf("rejections of %s = %v, want %v", class, got, want)
		}
	}
}

type backlogFunc func(context.Context) (gram.Backlog, error)

func (f backlogFunc) Backlog(ctx context.Context) (gram.Backlog, error) { return f(ctx) }

func TestBacklogIsReadAtScrape(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := gram.Backlog{MailPending: 3, OldestMail: now.Add(-90 * time.Second), BlobDeletions: 7}
	var fail error
	m := New()
	err := m.WatchBacklog(backlogFunc(func(ctx context.Context) (gram.Backlog, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("backlog queried without a deadline")
		}
		return b, fail
	}), time.Second, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	want := `
# HELP gram_blob_deletions_pending Media removals queued and not yet confirmed by the media store.
# TYPE gram_blob_deletions_pending gauge
gram_blob_deletions_pending 7
# HELP gram_mail_outbox_oldest_pending_age_seconds Age of the oldest pending outbox message; 0 when none is pending.
# TYPE gram_mail_outbox_oldest_pending_age_seconds gauge
gram_mail_outbox_oldest_pending_age_seconds 90
# HELP gram_mail_outbox_pending Outbox messages neither sent nor given up.
# TYPE gram_mail_outbox_pending gauge
gram_mail_outbox_pending 3
`
	names := []string{"gram_blob_deletions_pending", "gram_mail_outbox_oldest_pending_age_seconds", "gram_mail_outbox_pending"}
	if err := testutil.GatherAndCompare(m.reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}

	t.Run("EmptyOutboxAgeIsZero", func(t *testing.T) {
		b = gram.Backlog{}
		if err := testutil.GatherAndCompare(m.reg, strings.NewReader(strings.NewReplacer(" 7\n", " 0\n", " 90\n", " 0\n", " 3\n", " 0\n").Replace(want)), names...); err != nil {
			t.Error(err)
		}
	})
	t.Run("StoreDownLosesOnlyTheseSeries", func(t *testing.T) {
		fail = errors.New("store down")
		rec := httptest.NewRecorder()
		m.Limited("read")
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "gram_rate_limit_rejections_total") {
			t.Fatalf("scrape with the store down: %d, want 200 with the other series:\n%.500s", rec.Code, body)
		}
		if strings.Contains(body, "gram_mail_outbox_pending ") {
			t.Errorf("scrape with the store down reports an outbox depth")
		}
	})
}

type fakeImages struct{ err error }

func (f fakeImages) Process(context.Context, io.Reader, gram.ImageKind) (*gram.Image, error) {
	time.Sleep(time.Millisecond)
	return &gram.Image{}, f.err
}

func TestImagesTimedByKindAndOutcome(t *testing.T) {
	m := New()
	ok, bad := m.Images(fakeImages{}), m.Images(fakeImages{err: gram.Errorf(gram.EUNSUPPORTED, "no")})
	_, _ = ok.Process(t.Context(), nil, gram.ImagePost)
	_, _ = ok.Process(t.Context(), nil, gram.ImagePost)
	_, _ = bad.Process(t.Context(), nil, gram.ImageAvatar)
	want := map[[2]string]uint64{{"post", "ok"}: 2, {"avatar", "error"}: 1}
	for labels, n := range want {
		h := histogram(t, m, "gram_image_processing_seconds", "kind", labels[0], "outcome", labels[1])
		if h.GetSampleCount() != n || h.GetSampleSum() < float64(n)*0.001 {
			t.Errorf("image histogram %v: count %d sum %v, want %d taking at least %d ms", labels, h.GetSampleCount(), h.GetSampleSum(), n, n)
		}
	}
}

func TestHashWaited(t *testing.T) {
	m := New()
	h := gram.NewHasher(gram.Argon2Params{Memory: 64, Time: 1, Threads: 1}, 1)
	h.Waited = m.HashWaited
	if _, err := h.Hash(t.Context(), "correct horse"); err != nil {
		t.Fatal(err)
	}
	if n := histogram(t, m, "gram_password_hash_wait_seconds").GetSampleCount(); n != 1 {
		t.Errorf("hash waits observed = %d, want 1", n)
	}
}

func TestExposesStandardCollectors(t *testing.T) {
	rec := httptest.NewRecorder()
	New().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "gram_build_info{", "gram_http_requests_in_flight"} {
		if !strings.Contains(rec.Body.String(), name) {
			t.Errorf("exposition lacks %s", name)
		}
	}
}
