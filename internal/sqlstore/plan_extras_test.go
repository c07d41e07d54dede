package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Sizes of the rows seedExtras adds to a gramseed dataset of 100,000
// users; a smaller dataset gets proportionally fewer (extraScale).
const (
	extraComments      = 1_000_000
	extraHotComments   = 5_000
	extraNotifications = 1_000_000
	extraStories       = 100_000
	extraSessions      = 200_000
	extraMails         = 100_000
	extraTokens        = 20_000 // password resets, email changes, suppressions
	extraAudit         = 100_000
	extraBlobs         = 20_000  // queued media deletions (an S3 outage's backlog)
	extraEdges         = 100_000 // blocks, mutes, follow requests: each
	extraSaves         = 1_000_000
	extraUsers         = 100_000 // the dataset the sizes above are for
)

// scaled is n for a dataset of users users: n itself at 100,000 or more,
// proportionally fewer below, at least one.
func scaled(n, users int) int {
	return max(1, int(int64(n)*int64(min(users, extraUsers))/extraUsers))
}

// seedExtras adds what gramseed does not load but the endpoints read,
// into each of these tables that is empty: comments (with, the first
// time, one viral post: the newest, so that it is on the feed's first
// page, liked by every user), notifications, stories, sessions, sent and
// due mail, password resets, email changes, suppressions, the audit log
// queued media deletions and saved posts, as many as extraComments and the others say for 100,000 users and
// proportionally fewer for fewer users. Then it refreshes the statistics.
func seedExtras(t *testing.T, s *Store) {
	ctx := t.Context()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The rows are consistent by construction: skip foreign-key checks
	// where the session may (SQLite; PostgreSQL as a superuser).
	if s.d.name == "sqlite" {
		_, _ = conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`)
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	} else if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err == nil {
		defer conn.ExecContext(context.WithoutCancel(ctx), `RESET session_replication_role`)
	}
	var users int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
		t.Fatal(err)
	}
	var x *extras
	for _, e := range extraTables(users) {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+e.table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			continue
		}
		if x == nil {
			x = newExtras(t, conn, s.d, scaled(extraHotComments, users))
		}
		if e.table == "comments" {
			x.viralPost(t)
		}
		x.load(t, e.table, e.cols, e.n, e.row(x))
	}
	if x == nil {
		return
	}
	analyze := `ANALYZE`
	if s.d.name == "postgres" {
		analyze = `VACUUM (ANALYZE)` // sets the visibility map, as autovacuum would
	}
	if _, err := conn.ExecContext(ctx, analyze); err != nil {
		t.Fatal(err)
	}
}

// extraTable is one table seedExtras fills.
type extraTable struct {
	table string
	cols  []string
	n     int
	row   func(*extras) func(int) []any
}

// extraTables lists the tables seedExtras fills, with their sizes for a
// dataset of users users.
func extraTables(users int) []extraTable {
	tables := []extraTable{
		{"comments", []string{"id", "post_id", "author_id", "body", "created_at"}, extraComments,
			func(x *extras) func(int) []any { return x.comment }},
		{"notifications", []string{"id", "recipient_id", "actor_id", "kind", "post_id", "dedupe", "created_at"}, extraNotifications,
			func(x *extras) func(int) []any { return x.notification }},
		{"stories", []string{"id", "user_id", "photo_key", "created_at", "expires_at"}, extraStories,
			func(x *extras) func(int) []any { return x.story }},
		{"sessions", []string{"id", "user_id", "user_agent", "ip", "created_at", "last_used", "expires_at"}, extraSessions,
			func(x *extras) func(int) []any { return x.session }},
		{"mail_outbox", []string{"id", "recipient", "subject", "html", "text", "attempts", "created_at", "next_attempt_at", "sent_at", "failed", "last_error"}, extraMails,
			func(x *extras) func(int) []any { return x.mail }},
		{"password_resets", []string{"user_id", "token_hash", "expires_at"}, extraTokens,
			func(x *extras) func(int) []any { return x.token }},
		{"email_changes", []string{"user_id", "new_email", "token_hash", "expires_at"}, extraTokens,
			func(x *extras) func(int) []any { return x.emailChange }},
		{"mail_suppressions", []string{"email", "reason", "created_at"}, extraTokens,
			func(x *extras) func(int) []any { return x.suppression }},
		{"audit_log", []string{"id", "actor_id", "action", "target_type", "target_id", "detail", "reason", "created_at"}, extraAudit,
			func(x *extras) func(int) []any { return x.audit }},
		{"blob_deletions", []string{"blob_key", "attempts", "next_attempt_at", "last_error", "claim_token"}, extraBlobs,
			func(x *extras) func(int) []any { return x.blob }},
		{"blocks", []string{"blocker_id", "blocked_id", "created_at"}, extraEdges,
			func(x *extras) func(int) []any { return x.edge }},
		{"mutes", []string{"muter_id", "muted_id", "created_at"}, extraEdges,
			func(x *extras) func(int) []any { return x.edge }},
		{"follow_requests", []string{"requester_id", "target_id", "created_at"}, extraEdges,
			func(x *extras) func(int) []any { return x.edge }},
		{"saves", []string{"user_id", "post_id", "created_at"}, extraSaves,
			func(x *extras) func(int) []any { return x.save }},
	}
	for i := range tables {
		tables[i].n = scaled(tables[i].n, users)
	}
	return tables
}

// extras generates the rows of seedExtras.
type extras struct {
	conn  *sql.Conn
	d     dialect
	rng   *rand.Rand
	users []string
	posts []seededPost // newest first
	hot   string       // the viral post
	hotAt int64
	onHot int // how many of the comments are on the viral post
	now   int64
}

// seededPost is a post's id and creation time.
type seededPost struct {
	id string
	at int64
}

func newExtras(t *testing.T, conn *sql.Conn, d dialect, onHot int) *extras {
	x := &extras{conn: conn, d: d, rng: rand.New(rand.NewPCG(2, 3)), onHot: onHot, now: time.Now().UnixMilli()}
	rows, err := conn.QueryContext(t.Context(), `SELECT id FROM users ORDER BY id`)
	if x.users, err = collect(rows, err, scanID); err != nil {
		t.Fatal(err)
	}
	rows, err = conn.QueryContext(t.Context(), `SELECT id, created_at FROM posts ORDER BY created_at DESC, id DESC`)
	if x.posts, err = collect(rows, err, func(r scanner) (seededPost, error) {
		var p seededPost
		err := r.Scan(&p.id, &p.at)
		return p, err
	}); err != nil {
		t.Fatal(err)
	}
	if len(x.users) < 2 || len(x.posts) == 0 {
		t.Fatal("seedExtras: seed users and posts first")
	}
	x.hot, x.hotAt = x.posts[0].id, x.posts[0].at
	return x
}

// viralPost makes every user like the newest post.
func (x *extras) viralPost(t *testing.T) {
	ctx := t.Context()
	for _, q := range []string{
		`INSERT INTO likes (post_id, user_id, created_at) SELECT ?, u.id, ? FROM users u
			WHERE NOT EXISTS (SELECT 1 FROM likes l WHERE l.post_id = ? AND l.user_id = u.id)`,
		`UPDATE posts SET like_count = (SELECT COUNT(*) FROM likes WHERE post_id = ?) WHERE id = ?`,
	} {
		args := []any{x.hot, x.hotAt + 1000, x.hot}
		if strings.HasPrefix(q, "UPDATE") {
			args = []any{x.hot, x.hot}
		}
		if _, err := x.conn.ExecContext(ctx, x.d.rebind(q), args...); err != nil {
			t.Fatal(err)
		}
	}
}

// id returns a new id at ms (unique: NewID counts).
func (x *extras) id(ms int64) string {
	return gram.NewID(time.UnixMilli(ms))
}

// user picks a user, skewed like gramseed's authors: low numbers more often.
func (x *extras) user() string {
	return x.users[int(float64(len(x.users))*math.Pow(x.rng.Float64(), 2))]
}

func (x *extras) comment(i int) []any {
	p := x.rng.IntN(len(x.posts))
	if i < x.onHot {
		p = 0
	}
	at := x.posts[p].at + x.rng.Int64N(7*24*3600*1000)
	return []any{x.id(at), x.posts[p].id, x.users[x.rng.IntN(len(x.users))], "seeded comment", at}
}

func (x *extras) notification(i int) []any {
	at := x.now - x.rng.Int64N(365*24*3600*1000)
	id := x.id(at)
	kind, post := []string{gram.NotifyLike, gram.NotifyComment, gram.NotifyFollow}[i%3], x.posts[x.rng.IntN(len(x.posts))].id
	if kind == gram.NotifyFollow {
		post = ""
	}
	return []any{id, x.user(), x.users[x.rng.IntN(len(x.users))], kind, post, kind + ":" + id, at}
}

func (x *extras) story(int) []any {
	at := x.now - x.rng.Int64N(10*24*3600*1000)
	id := x.id(at)
	return []any{id, x.users[x.rng.IntN(len(x.users))], "stories/" + id + ".jpg", at, at + gram.StoryTTL.Milliseconds()}
}

func (x *extras) session(i int) []any {
	at := x.now - x.rng.Int64N(30*24*3600*1000)
	return []any{x.id(at), x.users[i%len(x.users)], "seed", "127.0.0.1", at, at, at + 90*24*3600*1000}
}

func (x *extras) mail(i int) []any {
	at := x.now - x.rng.Int64N(30*24*3600*1000)
	sent := at + 1000
	if i < 100 { // due
		sent = 0
	}
	return []any{x.id(at), "seed@example.com", "Welcome", "<p>hi</p>", "hi", 1, at, at, sent, false, ""}
}

// token is a pending password reset of user i (one per user).
// save is the k-th save of user i mod users: each user's saves are of
// distinct posts (104729 is a prime, so no two of a user's first saves
// land on one post of any dataset size but its multiples).
func (x *extras) save(i int) []any {
	u, k := i%len(x.users), i/len(x.users)
	p := x.posts[(u*31+k*104729)%len(x.posts)]
	return []any{x.users[u], p.id, p.at + int64(k+1)*60_000}
}

func (x *extras) token(i int) []any {
	return []any{x.users[i], "reset-" + x.id(x.now), x.now + 600_000}
}

func (x *extras) emailChange(i int) []any {
	return []any{x.users[i], "new" + strconv.Itoa(i) + "@example.com", "change-" + x.id(x.now), x.now + 86_400_000}
}

func (x *extras) suppression(i int) []any {
	return []any{"bounced" + strconv.Itoa(i) + "@example.com", "bounce", x.now}
}

func (x *extras) audit(i int) []any {
	at := x.now - x.rng.Int64N(365*24*3600*1000)
	return []any{x.id(at), x.users[0], "suspend", "user", x.users[x.rng.IntN(len(x.users))], "", "seeded", at}
}

// blob is a queued media deletion: the first 100 due, the rest retried
// within the hour.
func (x *extras) blob(i int) []any {
	next, attempts := int64(0), 0
	if i >= 100 {
		next, attempts = x.now+x.rng.Int64N(3600*1000), 1+x.rng.IntN(5)
	}
	return []any{"posts/" + x.id(x.now-x.rng.Int64N(24*3600*1000)) + ".jpg", attempts, next, "", ""}
}

// edge is the i-th of distinct pairs of two users (a block, a mute, a
// follow request): user i, and a user 1 to n-1 places after it.
func (x *extras) edge(i int) []any {
	n := len(x.users)
	from := i % n
	return []any{x.users[from], x.users[(from+1+i/n%(n-1))%n], x.now - x.rng.Int64N(365*24*3600*1000)}
}

// load inserts n generated rows in multi-row INSERTs, in one transaction.
func (x *extras) load(t *testing.T, table string, cols []string, n int, row func(int) []any) {
	ctx := t.Context()
	start := time.Now()
	const perStmt = 500
	one := "(" + placeholders(len(cols)) + ")"
	tx, err := x.conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	args := make([]any, 0, perStmt*len(cols))
	for i := 0; i < n; {
		k := min(perStmt, n-i)
		args = args[:0]
		for j := range k {
			args = append(args, row(i+j)...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", k), ", ")
		if _, err := tx.ExecContext(ctx, x.d.rebind(q), args...); err != nil {
			t.Fatalf("load %s: %v", table, err)
		}
		i += k
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("seedExtras: %s %d rows in %v", table, n, time.Since(start).Round(time.Millisecond))
}
