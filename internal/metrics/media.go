package metrics

import (
	"context"
	"io"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Images returns p timed: each Process is observed in
// gram_image_processing_seconds by kind (post, story, avatar) and outcome
// (ok, or error for any refusal or failure).
func (m *Metrics) Images(p gram.ImageProcessor) gram.ImageProcessor { return timedImages{p, m} }

type timedImages struct {
	gram.ImageProcessor
	m *Metrics
}

func (t timedImages) Process(ctx context.Context, r io.Reader, kind gram.ImageKind) (*gram.Image, error) {
	start := time.Now()
	img, err := t.ImageProcessor.Process(ctx, r, kind)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	t.m.images.WithLabelValues(kindLabel(kind), outcome).Observe(time.Since(start).Seconds())
	return img, err
}

func kindLabel(k gram.ImageKind) string {
	switch k {
	case gram.ImagePost:
		return "post"
	case gram.ImageStory:
		return "story"
	case gram.ImageAvatar:
		return "avatar"
	}
	return "other"
}
