package app

import (
	"context"
	"sync"
	"time"

	"github.com/instamern/gram/internal/blob"
)

// Runner is background work that runs until its context ends.
type Runner func(ctx context.Context)

// Runners are a server's background work: the outbox sender, the media
// deleter, the story and media sweeps and the one-off public media check.
// An App from OpenService has none.
func (a *App) Runners() []Runner {
	if a.sender == nil {
		return nil
	}
	return []Runner{a.SendMail, a.DeleteMedia, a.SweepStories, a.SweepMedia, a.CheckPublicMedia}
}

// Start runs rs, each in a goroutine, until the returned stop is called;
// stop waits for them. They keep ctx's values but not its cancellation,
// so that mail and sweeps go on while a shutdown drains requests.
func Start(ctx context.Context, rs ...Runner) (stop func()) {
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Go(func() { r(bg) })
	}
	return func() { cancel(); wg.Wait() }
}

// SendMail delivers the outbox until ctx ends; the service wakes it when
// it queues mail.
func (a *App) SendMail(ctx context.Context) { _ = a.sender.Run(ctx) }

// DeleteMedia removes the media whose deletion is queued until ctx ends,
// retrying each key until the blob store confirms.
func (a *App) DeleteMedia(ctx context.Context) { _ = a.deleter.Run(ctx) }

// SweepStories deletes expired stories and their media every ten minutes.
func (a *App) SweepStories(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := a.Service.SweepStories(ctx, 500); err != nil && ctx.Err() == nil {
			a.log.Error("sweep stories", "err", err)
		} else if n > 0 {
			a.log.Info("swept expired stories", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SweepMedia deletes media objects that no row references (left by a
// crash between upload and insert), a minute or so after the start and
// then every MEDIA_SWEEP_INTERVAL, until ctx ends.
func (a *App) SweepMedia(ctx context.Context) {
	s := &blob.Sweeper{Blobs: a.Blobs, Prefix: "users/", Referenced: a.Service.MediaReferenced, Log: a.log,
		First: min(time.Minute, a.Config.MediaSweep), Every: a.Config.MediaSweep}
	_ = s.Run(ctx)
}
