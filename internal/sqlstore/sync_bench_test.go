package sqlstore

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// BenchmarkSynchronous measures what SQLite's durability setting costs on
// the writes users wait for: a like toggle (one transaction: the like, the
// post's count, the notification) and a signup (the user and the welcome
// mail in the outbox), one at a time and from 8 goroutines at once (one
// writer: commits queue behind each other's fsync).
func BenchmarkSynchronous(b *testing.B) {
	for _, mode := range []string{SyncNormal, SyncFull} {
		b.Run(mode, func(b *testing.B) {
			s, err := Open(b.Context(), filepath.Join(b.TempDir(), "gram.db"), Options{Synchronous: mode})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			author := benchUser(b, s, "author")
			post := &gram.Post{ID: gram.NewID(time.Now()), AuthorID: author.ID, Caption: "c", PhotoKey: "k", CreatedAt: time.Now()}
			if err := s.CreatePost(b.Context(), post); err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			toggle := func(b *testing.B) {
				// On and off again: the same transaction either way.
				if _, err := s.ToggleLike(b.Context(), post.ID, author.ID, time.Now(), nil); err != nil {
					b.Fatal(err)
				}
			}
			signup := func(b *testing.B) { benchUser(b, s, fmt.Sprintf("u%d", n.Add(1))) }
			for _, w := range []struct {
				name string
				fn   func(*testing.B)
			}{{"like-toggle", toggle}, {"signup", signup}} {
				b.Run(w.name, func(b *testing.B) {
					for b.Loop() {
						w.fn(b)
					}
				})
				b.Run(w.name+"-8", func(b *testing.B) {
					b.SetParallelism(4) // 4 x GOMAXPROCS (2) goroutines
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							w.fn(b)
						}
					})
				})
			}
		})
	}
}

// benchUser signs up a user with a welcome mail, as the service does.
func benchUser(b *testing.B, s *Store, name string) *gram.User {
	now := time.Now().UTC()
	u := &gram.User{ID: gram.NewID(now), Username: name, Email: name + "@example.com", Firstname: "F", Lastname: "L",
		PasswordHash: "h", Role: gram.RoleUser, Active: true, CreatedAt: now, UpdatedAt: now}
	m := &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(now), To: u.Email, Subject: "Welcome", HTML: "<p>hi</p>", Text: "hi"},
		CreatedAt: now, NextAttemptAt: now}
	if err := s.CreateUser(b.Context(), u, m); err != nil {
		b.Fatal(err)
	}
	return u
}
