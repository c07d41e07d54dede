package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	_ "net/http/pprof" // served on -pprof only
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
)

// sut is the system under test and how to let it go.
type sut struct {
	srv   *server // nil with -url
	close func()
}

// openTarget starts the API in process (seeding first if the database is
// empty), or points at -url.
func openTarget(ctx context.Context, c *config, r *Report, t *target, prog *progress) (*sut, error) {
	if c.url != "" {
		t.base, r.Backend = strings.TrimRight(c.url, "/"), c.backend
		s := c.seed
		r.Dataset = Dataset{Users: int64(s.Users), Posts: int64(s.Posts), Likes: int64(s.Likes), Comments: int64(s.Comments),
			Follows: int64(s.Follows), Stories: int64(s.Stories)}
		return &sut{close: func() {}}, nil
	}
	dir, cleanup := c.data, func() {}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gramload-")
		if err != nil {
			return nil, err
		}
		dir, cleanup = tmp, func() { _ = os.RemoveAll(tmp) }
	}
	dbURL := c.db
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(dir, "gram.db")
	}
	if err := seedIfEmpty(ctx, dbURL, c.seed, r, prog); err != nil {
		cleanup()
		return nil, err
	}
	srv, err := startServer(ctx, dbURL, dir, c)
	if err != nil {
		cleanup()
		return nil, err
	}
	t.base, r.Backend = srv.base, srv.app.Store.Dialect()
	if err := countRows(ctx, srv.app.Store, &r.Dataset); err != nil {
		_ = srv.close()
		cleanup()
		return nil, err
	}
	t.users = int(r.Dataset.Users)
	if c.pprof != "" {
		go func() { _ = http.ListenAndServe(c.pprof, nil) }()
	}
	return &sut{srv: srv, close: func() { _ = srv.close(); cleanup() }}, nil
}

// seedIfEmpty loads the dataset when the database has no users; a
// database seeded before is reused as it is. The store is closed after
// seeding (see seed.Load) and opened again to serve.
func seedIfEmpty(ctx context.Context, dbURL string, c seed.Config, r *Report, prog *progress) error {
	s, err := sqlstore.Open(ctx, dbURL, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	var users int64
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&users); err != nil {
		return err
	}
	if c.PasswordHash, err = seed.HashPassword(ctx, gram.NewHasher(gram.OWASPArgon2, 1)); err != nil {
		return err
	}
	if users > 0 {
		fmt.Fprintf(prog.w, "reusing the seeded database (%d users)\n", users)
		return seed.EnableLogins(ctx, s, c.PasswordHash)
	}
	start := time.Now()
	set, stop := prog.seeding()
	_, err = seed.Load(ctx, s, c, seed.Options{Started: set, Warn: func(m string) { fmt.Fprintln(prog.w, "\nseed:", m) }})
	stop()
	r.Dataset.Seeded, r.Dataset.SeedSeconds = true, time.Since(start).Seconds()
	return err
}

// countRows reads the dataset's size from the database.
func countRows(ctx context.Context, s *sqlstore.Store, d *Dataset) error {
	for table, n := range map[string]*int64{"users": &d.Users, "posts": &d.Posts, "likes": &d.Likes,
		"comments": &d.Comments, "follows": &d.Follows, "stories": &d.Stories} {
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(n); err != nil {
			return fmt.Errorf("count %s: %w", table, err)
		}
	}
	return nil
}

// runPhases logs the virtual users in and runs the selected phases.
func runPhases(ctx context.Context, c *config, r *Report, t *target, s *sut, prog *progress) error {
	var err error
	if t.postIDs, err = collectPosts(ctx, t, c.newestPosts, c.deepPosts); err != nil {
		return err
	}
	vus, err := logIn(ctx, t, c.conns, c.seed.Seed)
	if err != nil {
		return err
	}
	ceil, err := startCeiling(ctx, t)
	if err != nil {
		return err
	}
	defer ceil.close()
	r.CeilingBytes = ceil.size
	ct := &target{base: ceil.base, client: t.client}
	ceilingVUs := make([]*vu, len(vus))
	for i, v := range vus {
		ceilingVUs[i] = &vu{t: ct, rng: v.rng}
	}
	likes := &likeCheck{t: t, vus: vus}
	if s.srv != nil {
		likes.store = s.srv.app.Store
	}
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, spec := range selected(plan(c, vus, ceilingVUs, likes), c.phases) {
		p, err := spec.run(ctx, vus, prog)
		if p != nil {
			r.Phases = append(r.Phases, p)
		}
		if err != nil {
			return err
		}
		settle(ctx)
	}
	r.Like = likes.Result
	return nil
}

// write saves results.json and results.md in dir ("" writes nothing).
func (r *Report) write(dir string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	var md strings.Builder
	r.Markdown(&md)
	return errors.Join(os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644),
		os.WriteFile(filepath.Join(dir, "results.md"), []byte(md.String()), 0o644))
}
