package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/instamern/gram/internal/seed"
)

// deepCursor is a feed position 360 days back: the seeder spreads posts
// over the last year, so about 99% of them are newer.
func deepCursor(now time.Time) string {
	return strconv.FormatInt(now.Add(-360*24*time.Hour).UnixMilli(), 10) + "_ffffffffffffffffffffffff"
}

// logIn gives each of n virtual users its own seeded account and token,
// logging in 8 at a time.
func logIn(ctx context.Context, t *target, n int, seedBase uint64) ([]*vu, error) {
	vus := make([]*vu, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	user := 0
	for k := range vus {
		// Spread the accounts over the user numbers, active ones only.
		user = (user + t.users/max(n, 1) + 1) % t.users
		for !seed.Active(user) {
			user = (user + 1) % t.users
		}
		v := &vu{t: t, user: user, rng: rand.New(rand.NewPCG(seedBase, uint64(k)))}
		vus[k] = v
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			v.token, errs[k] = login(ctx, t, v.user)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("log in the virtual users (was the database seeded by gramseed or gramload?): %w", err)
		}
	}
	return vus, nil
}

// feedPage is the part of a feed page the tool reads.
type feedPage struct {
	Next string
	Data struct {
		Posts []struct {
			ID string `json:"_id"`
		}
	}
}

// collectPosts walks feed pages from the newest post and from the deep
// cursor, to have real post ids to read, like and comment on.
func collectPosts(ctx context.Context, t *target, newest, deep int) ([]string, error) {
	v := &vu{t: t}
	var ids []string
	for _, start := range []struct {
		cursor string
		n      int
	}{{"", newest}, {t.deep, deep}} {
		cursor := start.cursor
		for got := 0; got < start.n; {
			var p feedPage
			path := "/instamern/posts?limit=100"
			if cursor != "" {
				path += "&before=" + url.QueryEscape(cursor)
			}
			if err := v.getJSON(ctx, path, &p); err != nil {
				return nil, err
			}
			for _, post := range p.Data.Posts {
				ids = append(ids, post.ID)
			}
			got += len(p.Data.Posts)
			if cursor = p.Next; cursor == "" {
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("the feed is empty: seed the database first")
	}
	return ids, nil
}

// smallJPEG is the upload: a 640x480 gradient, about what a phone sends
// after the client has scaled it down.
func smallJPEG() []byte {
	m := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			m.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), uint8((x + y) / 5), 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, m, &jpeg.Options{Quality: 85})
	return b.Bytes()
}
