package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
)

// planCase is one statement an endpoint runs, with arguments of the right
// types, and the index its plan must use ("a|b": either).
type planCase struct {
	name  string
	query string
	args  []any
	index string // "" for inserts, whose plans name no index
	write bool   // a statement that changes rows: run in a rolled-back transaction
	sort  bool   // a sort of a bounded set of matches is expected
	// dialect, when set, is the one backend whose statement this is
	// (a query written twice, one per dialect).
	dialect string
}

// skip reports whether c is another dialect's statement.
func (c planCase) skip(dialect string) bool { return c.dialect != "" && c.dialect != dialect }

// planValues are the rows the cases bind: well-formed ids on an empty
// database, existing rows of a seeded one (seededValues).
type planValues struct {
	userID, username, email    string // a prolific user
	postID                     string // a post with many likes and comments
	likerID                    string // a user who likes postID
	feedIDs                    []string
	cursorAt                   int64 // a cursor deep in the feed
	cursorID                   string
	userCursorAt               int64 // a cursor in userID's posts
	userCursorID               string
	commentID, commentCursorID string // a comment on postID, one in its middle
	commentCursorAt            int64
	sessionID                  string
	storyID                    string
	mailID                     string // a due mail
	infix                      string // a search term that is no name's prefix
	now                        int64
	newID                      string
	users                      int // the dataset's size, for listCap
}

// listCap is the cap n of a list the API reads whole (all of a post's
// comments, up to 1,000), scaled to the dataset (scaled): on 100,000
// users the lists of the rows chosen run past the cap and the plan walks
// an index to the cap. A list shorter than its cap is read whole and is
// cheaper sorted, which PostgreSQL then does; a scaled cap keeps the
// small dataset's lists longer than their caps, as the full dataset's.
func (v planValues) listCap(n int) int { return scaled(n, v.users) }

// page is a page of n before the deep feed cursor.
func (v planValues) page(n int) gram.Page {
	return gram.Page{Limit: n, CursorAt: fromMS(v.cursorAt), CursorID: v.cursorID}
}

func emptyValues() planValues {
	const id, at = "67c2e8b0f22b19f988c6f026", int64(1740830400000)
	return planValues{userID: id, username: "alice", email: "alice@example.com", postID: id, likerID: id,
		feedIDs: []string{id, id}, cursorAt: at, cursorID: id, userCursorAt: at, userCursorID: id,
		commentID: id, commentCursorID: id, commentCursorAt: at, sessionID: id, storyID: id, mailID: id,
		infix: "lic", now: at, newID: "67c2e8b0f22b19f988c6f027", users: extraUsers}
}

// savesIndexes are the indexes of saves, any of which is a narrow probe.
const savesIndexes = "saves_pkey|sqlite_autoindex_saves|saves_user_created|saves_post"

// planCases lists every statement the endpoints run, grouped by endpoint.
func planCases(v planValues) []planCase {
	likers := likerArgs(v.feedIDs, v.listCap(1000))
	return []planCase{
		// GET /posts (feed) and its cursor pages.
		{name: "Feed", query: feedQuery(false, false), args: []any{15}, index: "posts_created"},
		{name: "Feed/Viewer", query: feedQuery(true, false), args: listedArgs(v.likerID, 15), index: "posts_created"},
		{name: "Feed/Cursor", query: feedQuery(false, true), args: []any{v.cursorAt, v.cursorID, 15}, index: "posts_created"},
		{name: "Feed/Viewer/Cursor", query: feedQuery(true, true), args: listedArgs(v.likerID, v.cursorAt, v.cursorID, 15), index: "posts_created"},
		{name: "Feed/LikerIDs", query: likerIDsQuery(len(v.feedIDs)), args: likers, index: "likes_post_created"},
		// GET /posts/home (a typical user's followees) and its cursor pages:
		// each followee's posts from posts_author, the newest page of them
		// sorted (a bounded top-N: followees x page).
		{name: "HomeFeed", query: homeQuery("sqlite", false), args: homeArgs("sqlite", v.likerID, gram.Page{Limit: 15}), index: "posts_author", sort: true, dialect: "sqlite"},
		{name: "HomeFeed/Cursor", query: homeQuery("sqlite", true), args: homeArgs("sqlite", v.likerID, v.page(15)), index: "posts_author", sort: true, dialect: "sqlite"},
		{name: "HomeFeed", query: homeQuery("postgres", false), args: homeArgs("postgres", v.likerID, gram.Page{Limit: 15}), index: "posts_author", sort: true, dialect: "postgres"},
		{name: "HomeFeed/Cursor", query: homeQuery("postgres", true), args: homeArgs("postgres", v.likerID, v.page(15)), index: "posts_author", sort: true, dialect: "postgres"},
		// Saved posts: the list, the flag of a page, save and unsave. The
		// flag and the unsave probe one user's saves or one post's, by
		// whichever of the three indexes the planner finds narrower.
		{name: "SavedPosts", query: savedQuery(false), args: savedArgs(v.likerID, gram.Page{Limit: 15}), index: "saves_user_created"},
		{name: "SavedPosts/Cursor", query: savedQuery(true), args: savedArgs(v.likerID, v.page(15)), index: "saves_user_created"},
		{name: "SavedAmong", query: savedAmongQuery(len(v.feedIDs)), args: append([]any{v.likerID}, anySlice(v.feedIDs)...), index: savesIndexes},
		{name: "SavePost", query: qSave, args: []any{v.likerID, v.postID, v.now}, write: true},
		{name: "UnsavePost", query: qUnsave, args: []any{v.likerID, v.postID}, index: savesIndexes, write: true},
		// GET /posts/{id}: the post, its likers, its comments.
		{name: "PostByID", query: qPostByID, args: []any{v.postID}, index: "posts"},
		{name: "PostByID/LikerIDs", query: likerIDsQuery(1), args: []any{v.postID, v.listCap(1000)}, index: "likes_post_created"},
		{name: "CommentsByPost", query: commentsQuery(false), args: []any{v.postID, v.listCap(1000)}, index: "comments_post"},
		{name: "CommentsByPost/Cursor", query: commentsQuery(true), args: []any{v.postID, v.commentCursorAt, v.commentCursorID, 20}, index: "comments_post"},
		// Profiles by id or username, and the current user.
		{name: "UserByID", query: qUserByID, args: []any{v.userID}, index: "users"},
		{name: "UserByUsername", query: qUserByUsername, args: []any{v.username}, index: "users"},
		{name: "UserByEmail", query: qUserByEmail, args: []any{v.email}, index: "users"},
		{name: "PostsByUser", query: postsByUserQuery(false), args: []any{v.userID, v.listCap(1000)}, index: "posts_author"},
		{name: "PostsByUser/Cursor", query: postsByUserQuery(true), args: []any{v.userID, v.userCursorAt, v.userCursorID, 20}, index: "posts_author"},
		{name: "FollowerIDs", query: qFollowerIDs, args: []any{v.userID, v.listCap(1000)}, index: "follows_followee"},
		{name: "FollowingIDs", query: qFollowingIDs, args: []any{v.userID, v.listCap(1000)}, index: "follows_follower"},
		{name: "NotificationsFor", query: qNotificationsFor, args: []any{v.userID, v.listCap(1000)}, index: "notifications_recipient"},
		// Search and suggestions.
		{name: "SearchUsers/Prefix", query: qSearchPrefix, args: []any{"user00", "user00\uffff", 20}, index: "users"},
		{name: "SearchUsers/Infix", query: qSearchInfix, args: []any{"%" + v.infix + "%", v.infix + "%", 20}, index: "users", sort: true},
		{name: "SampleUsers", query: qSampleFrom, args: []any{v.userID, 6}, index: "users"},
		{name: "SampleUsers/Wrap", query: qSampleWrap, args: []any{v.userID, 6}, index: "users"},
		// Like toggle: unlike, or like.
		{name: "ToggleLike/Unlike", query: qUnlike, args: []any{v.postID, v.likerID}, index: "likes", write: true},
		{name: "ToggleLike/CountDown", query: qLikeCountDown, args: []any{v.postID}, index: "posts", write: true},
		{name: "ToggleLike/Like", query: qLike, args: []any{v.postID, v.userID, v.now}, write: true},
		{name: "ToggleLike/CountUp", query: qLikeCountUp, args: []any{v.postID}, index: "posts", write: true},
		{name: "ToggleLike/Notify", query: qInsertNotification, args: []any{v.newID, v.userID, v.likerID, "like", v.postID, "like:" + v.newID, v.now}, write: true},
		// Comments.
		{name: "CreateComment", query: qInsertComment, args: []any{v.newID, v.postID, v.userID, "hi", v.now}, write: true},
		{name: "CreateComment/CountUp", query: qCommentCountUp, args: []any{v.postID}, index: "posts", write: true},
		{name: "CommentByID", query: qCommentByID, args: []any{v.commentID}, index: "comments"},
		{name: "DeleteComment", query: qDeleteComment, args: []any{v.commentID}, index: "comments", write: true},
		{name: "DeleteComment/CountDown", query: qCommentCountDown, args: []any{v.postID}, index: "posts", write: true},
		// Follow and unfollow.
		{name: "Follow", query: qFollow, args: []any{v.likerID, v.userID, v.now}, write: true},
		{name: "Unfollow", query: qUnfollow, args: []any{v.likerID, v.userID}, index: "follows", write: true},
		// Blocks, mutes and follow requests: every check a read makes (the
		// ties of two accounts, the shield over a list), the lists, and the
		// writes.
		{name: "Ties", query: qTies, args: []any{v.likerID, v.likerID, v.likerID, v.likerID, v.likerID, v.userID}, index: "users"},
		{name: "Shield", query: qShieldAll, args: []any{v.userID, v.userID, v.userID, shieldAll + 1}, index: "blocks"},
		{name: "Shield/Many", query: shieldQuery(len(v.feedIDs)), args: shieldArgs(v.userID, v.feedIDs), index: "blocks"},
		{name: "BlockedUsers", query: edgesQuery("blocks", "blocker_id", "blocked_id", false), args: []any{v.userID, 20}, index: "blocks_blocker_created"},
		{name: "BlockedUsers/Cursor", query: edgesQuery("blocks", "blocker_id", "blocked_id", true), args: []any{v.userID, v.now, v.newID, 20}, index: "blocks_blocker_created"},
		{name: "MutedUsers", query: edgesQuery("mutes", "muter_id", "muted_id", false), args: []any{v.userID, 20}, index: "mutes_muter_created"},
		{name: "FollowRequestsTo", query: edgesQuery("follow_requests", "target_id", "requester_id", false), args: []any{v.userID, 20}, index: "follow_requests_target"},
		{name: "Block", query: qBlock, args: []any{v.likerID, v.userID, v.now}, write: true},
		{name: "Block/Count", query: qCountBlocks, args: []any{v.likerID}, index: "blocks"},
		{name: "Block/Follows", query: qBlockFollows, args: []any{v.likerID, v.userID, v.userID, v.likerID}, index: "follows", write: true},
		{name: "Block/Requests", query: qBlockRequests, args: []any{v.likerID, v.userID, v.userID, v.likerID}, index: "follow_requests", write: true},
		{name: "Unblock", query: qUnblock, args: []any{v.likerID, v.userID}, index: "blocks", write: true},
		{name: "Mute", query: qMute, args: []any{v.likerID, v.userID, v.now}, write: true},
		{name: "Mute/Count", query: qCountMutes, args: []any{v.likerID}, index: "mutes"},
		{name: "Unmute", query: qUnmute, args: []any{v.likerID, v.userID}, index: "mutes", write: true},
		{name: "RequestFollow", query: qRequestFollow, args: []any{v.likerID, v.userID, v.now}, write: true},
		{name: "DeleteFollowRequest", query: qDeleteFollowRequest, args: []any{v.likerID, v.userID}, index: "follow_requests", write: true},
		// Stories.
		{name: "ActiveStories", query: activeStoriesQuery(false), args: []any{v.now, v.listCap(100)}, index: "stories_expires"},
		{name: "ActiveStories/Viewer", query: activeStoriesQuery(true), args: listedArgs(v.likerID, v.now, v.listCap(100)), index: "stories_expires"},
		{name: "StoryByID", query: qStoryByID, args: []any{v.storyID}, index: "stories"},
		{name: "ExpiredStories", query: qExpiredStories, args: []any{v.now, v.listCap(100)}, index: "stories_expires"},
		// Sessions (every authenticated request reads and touches one).
		{name: "SessionByID", query: qSessionByID, args: []any{v.sessionID}, index: "sessions"},
		{name: "TouchSession", query: qTouchSession, args: []any{v.now, v.sessionID}, index: "sessions", write: true},
		{name: "RevokeSession", query: qRevokeSession, args: []any{v.sessionID}, index: "sessions", write: true},
		{name: "RevokeUserSessions", query: qRevokeUserSessions, args: []any{v.userID, v.sessionID}, index: "sessions_user", write: true},
		{name: "SessionsByUser", query: qSessionsByUser, args: []any{v.userID, v.now, v.listCap(100)}, index: "sessions_user", sort: true},
		// Password reset and email change by token.
		{name: "ResetPassword", query: qResetPassword, args: []any{"token-hash", v.now}, index: "password_resets", write: true},
		{name: "ConfirmEmailChange", query: qConfirmEmailChange, args: []any{"token-hash", v.now}, index: "email_changes", write: true},
		// Account deletion (a typical user: the cascades run for real, rolled back).
		{name: "DeleteUser/UnlikeAll", query: qUnlikeAll, args: []any{v.likerID, v.likerID}, index: "likes_user", write: true},
		{name: "DeleteUser/UncommentAll", query: qUncommentAll, args: []any{v.likerID, v.likerID, v.likerID}, index: "comments_author", write: true},
		{name: "DeleteUser/PostsNotifications", query: deletePostsNotesQuery(len(v.feedIDs)), args: anySlice(v.feedIDs), index: "notifications_post", write: true},
		{name: "DeleteUser", query: qDeleteUser, args: []any{v.likerID}, index: "users", write: true},
		// Staff: the audit log and the user list (a walk of users_created
		// that stops at the limit, filtering by substring).
		{name: "AuditEntries", query: auditQuery(false), args: []any{50}, index: "audit_log_created"},
		{name: "ListUsers/Filter", query: listUsersQuery(true, false), args: []any{"%" + v.infix + "%", "%" + v.infix + "%", 50}, index: "users_created|users_username_trgm", sort: true},
		// The mail sender's claim.
		{name: "ClaimMail", query: qClaimMail, args: []any{v.now, 10}, index: "mail_outbox_due"},
		{name: "ClaimMail/Lease", query: qLeaseMail, args: []any{v.now, "token", v.mailID}, index: "mail_outbox", write: true},
		{name: "MailSuppressed", query: qMailSuppressed, args: []any{v.email}, index: "mail_suppressions"},
		// The blob deleter's claim and outcomes.
		{name: "ClaimBlobDeletions", query: qClaimBlobs, args: []any{v.now, 20}, index: "blob_deletions_due"},
		{name: "ClaimBlobDeletions/Lease", query: qLeaseBlob, args: []any{v.now, "token", "users/" + v.userID + "/"}, index: "blob_deletions", write: true},
		{name: "BlobDeleted", query: qBlobDone, args: []any{"users/" + v.userID + "/"}, index: "blob_deletions", write: true},
		{name: "RetryBlobDeletion", query: qRetryBlob, args: []any{"503", v.now, "users/" + v.userID + "/", "token"}, index: "blob_deletions", write: true},
	}
}

// likerArgs are the arguments of likerIDsQuery(len(ids)).
func likerArgs(ids []string, limit int) []any {
	var args []any
	for _, id := range ids {
		args = append(args, id, limit)
	}
	return args
}

// TestQueryPlans checks that every statement the API runs is an index
// lookup on each backend: no full scan of a table and no sort. On
// PostgreSQL sequential scans and sorts are disabled for the session,
// so that on a tiny test table the plan shows whether an index path
// exists at all rather than what is cheapest for ten rows. (The plans on
// a seeded database are TestQueryPlansSeeded's.)
func TestQueryPlans(t *testing.T) {
	for _, b := range []struct {
		name string
		open func(*testing.T) *Store
	}{{"sqlite", OpenTestSQLite}, {"postgres", OpenTestPostgres}} {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			t.Cleanup(func() { _ = s.Close() })
			conn, err := s.w.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if s.d.name == "postgres" {
				for _, set := range []string{`SET enable_seqscan = off`, `SET enable_sort = off`, `SET enable_bitmapscan = off`} {
					if _, err := conn.ExecContext(t.Context(), set); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, c := range planCases(emptyValues()) {
				if c.skip(s.d.name) {
					continue
				}
				plan, err := explain(t.Context(), conn, s.d, c.query, c.args, false)
				if err != nil {
					t.Errorf("%s: explain: %v", c.name, err)
					continue
				}
				t.Logf("%s:\n%s", c.name, plan)
				if bad := badPlan(s.d.name, plan, c.index, c.sort); bad != "" {
					t.Errorf("%s: %s in plan:\n%s", c.name, bad, plan)
				}
			}
		})
	}
}

// explain returns the query's plan, one node per line. With analyze (on
// PostgreSQL only) the query runs: the caller rolls writes back.
func explain(ctx context.Context, q rawQuerier, d dialect, query string, args []any, analyze bool) (string, error) {
	prefix, col := "EXPLAIN ", 0
	switch {
	case d.name == "sqlite":
		prefix, col = "EXPLAIN QUERY PLAN ", 3 // id, parent, notused, detail
	case analyze:
		prefix = "EXPLAIN (ANALYZE, BUFFERS) "
	}
	rows, err := q.QueryContext(ctx, prefix+d.rebind(query), args...)
	lines, err := collect(rows, err, func(r scanner) (string, error) {
		// The detail is the last column.
		vals := make([]any, col+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return "", err
		}
		if b, ok := vals[col].([]byte); ok {
			return string(b), nil
		}
		line, _ := vals[col].(string)
		return line, nil
	})
	return strings.Join(lines, "\n"), err
}

// rawQuerier is a *sql.Conn or a *sql.Tx: database/sql as it is, without
// the store's rebinding and statement cache (see querier).
type rawQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// badPlan names what is wrong with a plan, or returns "". A SQLite SCAN
// of a subquery (a co-routine or materialized view) is not a table scan.
// Sorts are allowed when sortOK (a bounded set of matches).
func badPlan(dialect, plan, index string, sortOK bool) string {
	if index != "" && !containsAny(plan, strings.Split(index, "|")) {
		return "index " + index + " not used"
	}
	subqueries := map[string]bool{}
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		for _, p := range []string{"CO-ROUTINE ", "MATERIALIZE "} {
			if name, ok := strings.CutPrefix(line, p); ok {
				subqueries[strings.Fields(name)[0]] = true
			}
		}
		switch {
		case dialect == "sqlite" && strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, " INDEX ") &&
			!subqueries[strings.Fields(line)[1]]:
			return "full table scan (" + line + ")"
		case dialect == "sqlite" && (strings.Contains(line, "BLOOM FILTER") || strings.Contains(line, "AUTOMATIC")):
			return "a structure built over a whole table (" + line + ")"
		case dialect == "sqlite" && strings.Contains(line, "TEMP B-TREE") && !sortOK:
			return "sort (" + line + ")"
		case dialect == "postgres" && strings.Contains(line, "Seq Scan"):
			return "sequential scan (" + line + ")"
		case dialect == "postgres" && strings.Contains(line, "Sort") && !sortOK:
			return "sort (" + line + ")"
		}
	}
	return ""
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
