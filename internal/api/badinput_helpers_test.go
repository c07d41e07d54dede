package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// The bad-input suite: hostile requests against the real HTTP server on
// every backend. Each rejected request must answer a JSON fail envelope
// with a 4xx status, leave the server healthy and leave every table
// exactly as it was.

// fixture is a populated stack: two users who follow each other, a post by
// alice with a like and a comment by bob, a story by alice and a pending
// password reset for bob (its token in resetToken).
type fixture struct {
	h                          *harness
	alice, bob                 user
	admin, carl                user // an admin, and a plain user without sessions for staff actions
	postID, commentID, storyID string
	resetToken                 string
	n                          int // counter for unique names
}

func newFixture(t *testing.T, b backend, opts ...option) *fixture {
	t.Helper()
	h := newHarness(t, b, opts...)
	fx := &fixture{h: h, alice: h.signup(t, "alice"), bob: h.signup(t, "bob"), admin: h.signup(t, "boss"), carl: h.signup(t, "carl")}
	h.setRole(t, fx.admin, gram.RoleAdmin)
	// Suspending or re-roling carl ends no session, so that an accepted
	// staff action never looks like a lost row.
	if err := h.store.RevokeUserSessions(t.Context(), fx.carl.ID, ""); err != nil {
		t.Fatal(err)
	}
	fx.postID = h.post(t, fx.alice, "first post")
	for _, step := range []struct {
		method, path, token string
		body                any
	}{
		{"POST", "/instamern/users/follow/alice", fx.bob.Token, nil},
		{"POST", "/instamern/users/follow/bob", fx.alice.Token, nil},
		{"POST", "/instamern/posts/like/" + fx.postID, fx.bob.Token, nil},
		{"PATCH", "/instamern/users/update", fx.alice.Token, map[string]any{"bio": "hello"}},
	} {
		st, body := h.do(t, step.method, step.path, step.token, step.body)
		wantSuccess(t, st, body, 200)
	}
	st, body := h.do(t, "POST", "/instamern/posts/comments/"+fx.postID, fx.bob.Token, map[string]any{"comment": "nice"})
	wantSuccess(t, st, body, 201)
	fx.commentID = obj(t, body, "data", "comment")["_id"].(string)
	st, body = h.upload(t, "/instamern/stories/upload", fx.alice.Token, "story", "s.jpg", jpegImage(t, 40, 40), nil)
	wantSuccess(t, st, body, 201)
	fx.storyID = obj(t, body, "data", "story")["_id"].(string)
	h.flushMail(t)
	st, body = h.do(t, "POST", "/instamern/users/forgot-password", "", map[string]any{"email": fx.bob.Email})
	wantSuccess(t, st, body, 200)
	sent := h.flushMail(t)
	if len(sent) != 1 {
		t.Fatalf("reset mails: %+v", sent)
	}
	m := regexp.MustCompile(`/reset-password/([0-9a-f]{64})`).FindStringSubmatch(sent[0].Text)
	if m == nil {
		t.Fatalf("no reset link in %q", sent[0].Text)
	}
	fx.resetToken = m[1]
	return fx
}

// unique returns a fresh lowercase name with prefix.
func (fx *fixture) unique(prefix string) string {
	fx.n++
	return fmt.Sprintf("%s%d", prefix, fx.n)
}

// watchedTables are compared before and after every rejected request.
var watchedTables = []string{"users", "posts", "likes", "saves", "comments", "follows", "stories",
	"notifications", "sessions", "mail_outbox", "password_resets", "email_changes", "audit_log", "mail_suppressions", "reports", "exports"}

// snapshot is the full content of the watched tables (rows rendered as
// strings and sorted, so the comparison ignores row order) and the keys
// of the blob store.
type snapshot map[string][]string

// snapshot reads every watched table through the store's own pool.
func (fx *fixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	out := snapshot{}
	for _, table := range watchedTables {
		out[table] = dumpTable(t, fx.h, table)
	}
	objs, err := fx.h.blobs.List(t.Context(), "")
	if err != nil {
		t.Fatalf("list blobs: %v", err)
	}
	keys := make([]string, 0, len(objs))
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	slices.Sort(keys)
	out["blobs"] = keys
	return out
}

func dumpTable(t *testing.T, h *harness, table string) []string {
	t.Helper()
	rows, err := h.store.DB().QueryContext(t.Context(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		var b strings.Builder
		for i, v := range vals {
			if bs, isBytes := v.([]byte); isBytes {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v;", cols[i], v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	slices.Sort(out)
	return out
}

// unchanged fails the test when any watched table differs from before.
func (fx *fixture) unchanged(t *testing.T, before snapshot) {
	t.Helper()
	after := fx.snapshot(t)
	for table, rows := range before {
		if !slices.Equal(rows, after[table]) {
			t.Errorf("%s changed: removed %q, added %q", table, clip(minus(rows, after[table])), clip(minus(after[table], rows)))
		}
	}
}

// minus returns the rows of a that are not in b.
func minus(a, b []string) []string {
	var out []string
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r)
		}
	}
	return out
}

// clip shortens rows for a readable failure message.
func clip(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		if len(r) > 160 {
			r = r[:160] + "..."
		}
		out[i] = r
	}
	return out
}

// healthy fails the test unless GET /healthz still answers 200.
func (fx *fixture) healthy(t *testing.T) {
	t.Helper()
	st, body := fx.h.do(t, "GET", "/healthz", "", nil)
	wantSuccess(t, st, body, http.StatusOK)
}

// rejected checks a response of a hostile request: a JSON fail envelope
// with want (any 4xx when want is 0) and a non-empty message; then that
// the server is healthy and nothing was written since before.
func (fx *fixture) rejected(t *testing.T, res *http.Response, raw []byte, want int, before snapshot) map[string]any {
	t.Helper()
	body := envelopeOf(t, res, raw)
	wantRejection(t, res.StatusCode, body, want)
	fx.healthy(t)
	fx.unchanged(t, before)
	return body
}

// wantRejection checks a fail envelope with status want, or any 4xx
// status when want is 0.
func wantRejection(t *testing.T, st int, body map[string]any, want int) {
	t.Helper()
	switch {
	case want != 0 && st != want, want == 0 && (st < 400 || st > 499):
		t.Errorf("status %d, want %s: %v", st, statusName(want), body)
	case body["status"] != "fail":
		t.Errorf("status field %v, want fail: %v", body["status"], body)
	}
	if m, _ := body["message"].(string); strings.TrimSpace(m) == "" {
		t.Errorf("empty message: %v", body)
	}
}

func statusName(want int) string {
	if want == 0 {
		return "4xx"
	}
	return fmt.Sprint(want)
}

// textColumns are every column that stores text a client typed.
var textColumns = map[string][]string{
	"users":     {"username", "email", "firstname", "lastname", "bio", "suspend_reason"},
	"posts":     {"caption"},
	"comments":  {"body"},
	"audit_log": {"reason"},
}

// column returns every value of table.col.
func (fx *fixture) column(t *testing.T, table, col string) []string {
	t.Helper()
	rows, err := fx.h.store.DB().QueryContext(t.Context(), "SELECT "+col+" FROM "+table)
	if err != nil {
		t.Fatalf("read %s.%s: %v", table, col, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// userColumn returns the stored value of col for u.
func (fx *fixture) userColumn(t *testing.T, u user, col string) string {
	t.Helper()
	var v string
	if err := fx.h.store.DB().QueryRowContext(t.Context(), "SELECT "+col+" FROM users WHERE id = '"+u.ID+"'").Scan(&v); err != nil {
		t.Fatalf("read users.%s: %v", col, err)
	}
	return v
}

// userValue returns col of u in a snapshot.
func userValue(t *testing.T, s snapshot, u user, col string) string {
	t.Helper()
	for _, row := range s["users"] {
		if !strings.HasPrefix(row, "id="+u.ID+";") {
			continue
		}
		for kv := range strings.SplitSeq(row, ";") {
			if v, found := strings.CutPrefix(kv, col+"="); found {
				return v
			}
		}
	}
	t.Fatalf("no users.%s for %s in the snapshot", col, u.Username)
	return ""
}
