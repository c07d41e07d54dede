package media

import (
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

func TestPlanFor(t *testing.T) {
	post, story, avatar := targets[gram.ImagePost], targets[gram.ImageStory], targets[gram.ImageAvatar]
	tests := []struct {
		name string
		t    target
		w, h int
		want plan
	}{
		{"post 12MP landscape", post, 4000, 3000, plan{image.Rect(800, 0, 3200, 3000), image.Pt(1080, 1350), image.Pt(1080, 1350)}},
		{"post tall", post, 1000, 3000, plan{image.Rect(0, 875, 1000, 2125), image.Pt(1000, 1250), image.Pt(1000, 1250)}},
		{"post small square", post, 500, 500, plan{image.Rect(50, 0, 450, 500), image.Pt(400, 500), image.Pt(400, 500)}},
		{"post 1x1", post, 1, 1, plan{image.Rect(0, 0, 1, 1), image.Pt(1, 1), image.Pt(1, 1)}},
		{"avatar landscape", avatar, 4000, 3000, plan{image.Rect(500, 0, 3500, 3000), image.Pt(320, 320), image.Pt(320, 320)}},
		{"avatar small", avatar, 200, 300, plan{image.Rect(0, 50, 200, 250), image.Pt(200, 200), image.Pt(200, 200)}},
		{"story landscape", story, 4000, 3000, plan{image.Rect(0, 0, 4000, 3000), image.Pt(1080, 810), image.Pt(1080, 1920)}},
		{"story very tall", story, 1000, 4000, plan{image.Rect(0, 0, 1000, 4000), image.Pt(480, 1920), image.Pt(1080, 1920)}},
		{"story exact", story, 1080, 1920, plan{image.Rect(0, 0, 1080, 1920), image.Pt(1080, 1920), image.Pt(1080, 1920)}},
		{"story small square", story, 500, 500, plan{image.Rect(0, 0, 500, 500), image.Pt(500, 500), image.Pt(500, 889)}},
		{"story small tall", story, 100, 1000, plan{image.Rect(0, 0, 100, 1000), image.Pt(100, 1000), image.Pt(563, 1000)}},
		{"story wide strip", story, 30000, 1, plan{image.Rect(0, 0, 30000, 1), image.Pt(1080, 1), image.Pt(1080, 1920)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planFor(tt.t, tt.w, tt.h)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(plan{})); diff != "" {
				t.Errorf("planFor(%dx%d) mismatch (-want +got):\n%s", tt.w, tt.h, diff)
			}
		})
	}
}

func TestSourceRect(t *testing.T) {
	// A 40x30 stored image; the displayed rectangle is the left-most
	// displayed column band 0..10 across the full height.
	const w, h = 40, 30
	tests := []struct {
		o    int
		r    image.Rectangle // displayed
		want image.Rectangle // stored
	}{
		{1, image.Rect(0, 0, 10, 30), image.Rect(0, 0, 10, 30)},
		{2, image.Rect(0, 0, 10, 30), image.Rect(30, 0, 40, 30)},
		{3, image.Rect(0, 0, 10, 30), image.Rect(30, 0, 40, 30)},
		{4, image.Rect(0, 0, 10, 30), image.Rect(0, 0, 10, 30)},
		{5, image.Rect(0, 0, 10, 40), image.Rect(0, 0, 40, 10)},
		{6, image.Rect(0, 0, 10, 40), image.Rect(0, 20, 40, 30)},
		{7, image.Rect(0, 0, 10, 40), image.Rect(0, 20, 40, 30)},
		{8, image.Rect(0, 0, 10, 40), image.Rect(0, 0, 40, 10)},
	}
	for _, tt := range tests {
		if got := sourceRect(tt.o, w, h, tt.r); got != tt.want {
			t.Errorf("orientation %d: sourceRect(%v) = %v, want %v", tt.o, tt.r, got, tt.want)
		}
	}
}
