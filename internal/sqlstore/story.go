package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const storyColumns = `s.id, s.user_id, s.photo_key, s.created_at, s.expires_at`

func scanStory(r scanner) (*gram.Story, error) {
	var (
		st          gram.Story
		at, expires int64
	)
	if err := r.Scan(&st.ID, &st.UserID, &st.PhotoKey, &at, &expires); err != nil {
		return nil, err
	}
	st.CreatedAt, st.ExpiresAt = fromMS(at), fromMS(expires)
	return &st, nil
}

func (s *Store) CreateStory(ctx context.Context, st *gram.Story) error {
	_, err := s.exec(ctx, `INSERT INTO stories (id, user_id, photo_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		st.ID, st.UserID, st.PhotoKey, ms(st.CreatedAt), ms(st.ExpiresAt))
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return s.wrap("create story", err)
}

const qStoryByID = `SELECT ` + storyColumns + ` FROM stories s WHERE s.id = ?`

func (s *Store) StoryByID(ctx context.Context, id string) (*gram.Story, error) {
	st, err := scanStory(s.queryRow(ctx, qStoryByID, id))
	return st, s.wrap("story by id", err)
}

// qDeleteStory deletes a story and returns its photo's key, to queue.
const qDeleteStory = `DELETE FROM stories WHERE id = ? RETURNING photo_key`

func (s *Store) DeleteStory(ctx context.Context, id string, e *gram.AuditEntry) error {
	err := s.inTx(ctx, func(t tx) error {
		var key string
		if err := t.queryRow(ctx, qDeleteStory, id).Scan(&key); err != nil {
			return err
		}
		if err := queueDropped(ctx, t, key); err != nil {
			return err
		}
		return insertAudit(ctx, t, e)
	})
	return s.wrap("delete story", err)
}

// activeStoriesQuery walks the (expires_at, id) index backwards: every
// story lives gram.StoryTTL, so the latest to expire is the newest. The
// owner's state is a lookup per story (listedAuthor, as the feed's).
func activeStoriesQuery(viewer bool) string {
	return `SELECT ` + storyColumns + ` FROM stories s
	WHERE ` + listedAuthor("s.user_id", viewer) + ` AND s.expires_at > ? ORDER BY s.expires_at DESC, s.id DESC LIMIT ?`
}

func (s *Store) ActiveStories(ctx context.Context, viewerID string, now time.Time, limit int) ([]*gram.Story, error) {
	out, err := queryAll(ctx, s, scanStory, activeStoriesQuery(viewerID != ""), listedArgs(viewerID, ms(now), limit)...)
	return out, s.wrap("active stories", err)
}

const qExpiredStories = `SELECT ` + storyColumns + ` FROM stories s WHERE s.expires_at <= ? ORDER BY s.expires_at LIMIT ?`

func (s *Store) ExpiredStories(ctx context.Context, now time.Time, limit int) ([]*gram.Story, error) {
	out, err := queryAll(ctx, s, scanStory, qExpiredStories, ms(now), limit)
	return out, s.wrap("expired stories", err)
}

// qStoriesByUser reads the user's stories through stories_user: a few a day.
const qStoriesByUser = `SELECT ` + storyColumns + ` FROM stories s WHERE s.user_id = ? AND s.expires_at > ?
	ORDER BY s.created_at DESC, s.id DESC LIMIT ?`

func (s *Store) StoriesByUser(ctx context.Context, userID string, now time.Time, limit int) ([]*gram.Story, error) {
	out, err := queryAll(ctx, s, scanStory, qStoriesByUser, userID, ms(now), limit)
	return out, s.wrap("stories by user", err)
}
