package media

import (
	"image"

	"github.com/instamern/gram/internal/gram"
)

// fit is how a source is mapped onto a target box.
type fit int

const (
	fitCover   fit = iota // fill the box, centre-cropping the excess
	fitContain            // fit inside the box, letterboxing the rest
)

// target is the output geometry of an image kind.
type target struct {
	w, h int
	fit  fit
}

var targets = map[gram.ImageKind]target{
	gram.ImagePost:   {1080, 1350, fitCover},
	gram.ImageStory:  {1080, 1920, fitContain},
	gram.ImageAvatar: {320, 320, fitCover},
}

// plan says how to turn a (correctly oriented) source into the output:
// take crop from the source, scale it to size, and place it centred on a
// canvas (equal to size unless letterboxing).
type plan struct {
	crop   image.Rectangle // in source pixels, origin at (0,0)
	size   image.Point     // scaled size of crop
	canvas image.Point     // output size
}

// planFor computes the plan for a w x h source. Sources are never upscaled:
// a source smaller than the target keeps the target's aspect ratio at the
// source's own scale (see the package doc).
func planFor(t target, w, h int) plan {
	if t.fit == fitCover {
		return planCover(t, w, h)
	}
	return planContain(t, w, h)
}

// planCover crops the largest centred region with the target's aspect
// ratio, then scales it down to the target if it is larger.
func planCover(t target, w, h int) plan {
	cw, ch := w, h
	if w*t.h > h*t.w { // wider than the target: crop the sides
		cw = max(1, divRound(h*t.w, t.h))
	} else { // taller: crop top and bottom
		ch = max(1, divRound(w*t.h, t.w))
	}
	crop := image.Rect(0, 0, cw, ch).Add(image.Pt((w-cw)/2, (h-ch)/2))
	size := image.Pt(cw, ch)
	if cw >= t.w && ch >= t.h {
		size = image.Pt(t.w, t.h)
	}
	return plan{crop: crop, size: size, canvas: size}
}

// planContain scales the whole source down to fit the target box, on a
// canvas of the target size. A source that already fits is not scaled and
// gets the smallest canvas of the target's aspect ratio that holds it.
func planContain(t target, w, h int) plan {
	p := plan{crop: image.Rect(0, 0, w, h), size: image.Pt(w, h), canvas: image.Pt(t.w, t.h)}
	wider := w*t.h > h*t.w
	switch {
	case w <= t.w && h <= t.h && wider:
		p.canvas = image.Pt(w, min(t.h, divCeil(w*t.h, t.w)))
	case w <= t.w && h <= t.h:
		p.canvas = image.Pt(min(t.w, divCeil(h*t.w, t.h)), h)
	case wider:
		p.size = image.Pt(t.w, max(1, divRound(h*t.w, w)))
	default:
		p.size = image.Pt(max(1, divRound(w*t.h, h)), t.h)
	}
	return p
}

func divRound(a, b int) int { return (2*a + b) / (2 * b) }
func divCeil(a, b int) int  { return (a + b - 1) / b }
