package app_test

import (
	"bytes"
	"crypto/rand"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/blob/blobtest"
	"github.com/instamern/gram/internal/testenv"
)

// With S3 in public delivery, the start-up check warns, naming the three
// fixes, when the bucket refuses anonymous reads (the private test
// bucket), and only notes success when a bucket policy allows them.
// Presigned delivery is not checked.
func TestCheckPublicMedia(t *testing.T) {
	testenv.Need(t, "GRAM_TEST_S3", "GRAM_TEST_S3_BUCKET")
	private := os.Getenv("GRAM_TEST_S3_BUCKET")
	public := private + "-public"
	blobtest.PublicBucket(t, blob.S3Config{Bucket: public, Region: os.Getenv("S3_REGION"),
		Endpoint: os.Getenv("S3_ENDPOINT"), ForcePathStyle: os.Getenv("S3_FORCE_PATH_STYLE") == "true"})
	warning := []string{`"level":"WARN"`, "403", "bucket a policy", "MEDIA_PUBLIC_URL", "MEDIA_DELIVERY=presign"}
	for name, tc := range map[string]struct {
		bucket, delivery string
		want             []string // in the log; nil: an empty log
	}{
		"Private": {private, "public", warning},
		"Public":  {public, "public", []string{`"level":"INFO"`, "public media URLs load without credentials"}},
		"Presign": {private, "presign", nil},
	} {
		t.Run(name, func(t *testing.T) {
			log := checkMedia(t, "s3://"+tc.bucket+"/app-"+rand.Text(), tc.delivery)
			if tc.want == nil && log != "" {
				t.Errorf("log %s, want none", log)
			}
			for _, w := range tc.want {
				if !strings.Contains(log, w) {
					t.Errorf("log lacks %q:\n%s", w, log)
				}
			}
			if strings.Count(log, "\n") > 1 {
				t.Errorf("more than one line about media:\n%s", log)
			}
		})
	}
}

// checkMedia builds the app on the S3 test server with mediaURL and
// delivery, runs the public media check and returns its log lines.
func checkMedia(t *testing.T, mediaURL, delivery string) string {
	t.Helper()
	env := map[string]string{"MEDIA_URL": mediaURL, "MEDIA_DELIVERY": delivery}
	for _, k := range []string{"S3_ENDPOINT", "S3_REGION", "S3_FORCE_PATH_STYLE"} {
		env[k] = os.Getenv(k)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	a, err := app.New(t.Context(), load(t, env), app.Overrides{Log: log, Hasher: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.CheckPublicMedia(t.Context())
	var lines []string
	for l := range strings.Lines(buf.String()) {
		if strings.Contains(l, `"msg":"media: `) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "")
}
