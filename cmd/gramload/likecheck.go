package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
)

// likeCheck verifies the like phase end to end: every post's like count
// after the phase must equal its count before plus the likes minus the
// unlikes the server reported, its likers list must have that length,
// and (in process) the database's counters must match its rows.
type likeCheck struct {
	t      *target
	vus    []*vu
	store  *sqlstore.Store // nil when targeting another server
	start  map[string]int
	delta  map[string]*atomic.Int64
	Result *LikeResult
}

// LikeResult is the outcome, for the report.
type LikeResult struct {
	Posts        int  `json:"posts"`
	Toggles      int  `json:"toggles"`
	Mismatches   int  `json:"mismatches"`    // over the API
	DBMismatches int  `json:"db_mismatches"` // counters vs rows; -1 when not checked
	Exact        bool `json:"exact"`
}

// before records the counts and hooks the virtual users.
func (c *likeCheck) before(ctx context.Context) error {
	counts, err := c.counts(ctx)
	if err != nil {
		return err
	}
	c.start, c.delta = counts, map[string]*atomic.Int64{}
	for id := range counts {
		c.delta[id] = new(atomic.Int64)
	}
	hook := func(id string, liked bool) {
		if liked {
			c.delta[id].Add(1)
		} else {
			c.delta[id].Add(-1)
		}
	}
	for _, v := range c.vus {
		v.liked = hook
	}
	return nil
}

// after compares and unhooks.
func (c *likeCheck) after(ctx context.Context, p *Phase) error {
	for _, v := range c.vus {
		v.liked = nil
	}
	counts, err := c.counts(ctx)
	if err != nil {
		return err
	}
	r := &LikeResult{Posts: len(counts), DBMismatches: -1}
	if e := p.endpoint("like"); e != nil {
		r.Toggles = e.Requests
	}
	for id, n := range counts {
		if b := c.start[id]; n < 0 || b < 0 || n != b+int(c.delta[id].Load()) {
			r.Mismatches++
		}
	}
	if c.store != nil {
		bad, err := seed.BadCounters(ctx, c.store, c.t.postIDs)
		if err != nil {
			return err
		}
		r.DBMismatches = int(bad)
	}
	r.Exact = r.Mismatches == 0 && r.DBMismatches <= 0
	c.Result = r
	p.Notes = append(p.Notes, fmt.Sprintf("Like counts of %d posts after %d toggles: %d wrong over the API, %d wrong in the database (-1: not checked, -url).",
		r.Posts, r.Toggles, r.Mismatches, r.DBMismatches))
	return nil
}

// counts reads every known post's like count over the API, 8 at a time.
// A post whose likers list disagrees with its count counts as -1.
func (c *likeCheck) counts(ctx context.Context) (map[string]int, error) {
	var (
		mu   sync.Mutex
		out  = map[string]int{}
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 8)
		errs = make(chan error, 1)
		v    = &vu{t: c.t}
	)
	for _, id := range c.t.postIDs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var d struct {
				Data struct {
					Post struct {
						Like  int
						Likes []string
					}
				}
			}
			if err := v.getJSON(ctx, "/instamern/posts/"+id, &d); err != nil {
				select {
				case errs <- err:
				default:
				}
				return
			}
			n := d.Data.Post.Like
			if n < 1000 && len(d.Data.Post.Likes) != n { // the list is capped at 1000
				n = -1
			}
			mu.Lock()
			out[id] = n
			mu.Unlock()
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, fmt.Errorf("read like counts: %w", err)
	default:
	}
	return out, nil
}
