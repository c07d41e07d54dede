package api_test

import (
	"net/http"
	"testing"
	"time"
)

// want sends a request and checks its status and message ("" for any).
func (h *harness) want(t *testing.T, method, path string, u user, body any, status int, msg string) map[string]any {
	t.Helper()
	st, got := h.do(t, method, path, u.Token, body)
	if st != status || (msg != "" && got["message"] != msg) {
		t.Fatalf("%s %s as %s: %d %v; want %d %q", method, path, u.Username, st, got, status, msg)
	}
	return got
}

func usernamesOf(t *testing.T, body map[string]any) []string {
	t.Helper()
	var out []string
	for _, u := range list(t, body, "data", "users") {
		out = append(out, u.(map[string]any)["username"].(string))
	}
	return out
}

func TestBlock(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice, bob, carol := h.signup(t, "alice"), h.signup(t, "bob"), h.signup(t, "carol")
		alicePost, bobPost := h.post(t, alice, "a"), h.post(t, bob, "b")
		h.want(t, "POST", "/instamern/users/follow/bob", alice, nil, 200, "")
		h.want(t, "POST", "/instamern/users/follow/alice", bob, nil, 200, "")
		h.want(t, "POST", "/instamern/users/block/bob", alice, nil, 200, "You have blocked bob.")
		h.want(t, "POST", "/instamern/users/block/BOB", alice, nil, 200, "You have blocked bob.") // a repeat
		// The follows ended both ways.
		prof := obj(t, h.want(t, "GET", "/instamern/users/id/"+alice.ID, carol, nil, 200, ""), "data", "user")
		if len(prof["followers"].([]any))+len(prof["followings"].([]any)) != 0 {
			t.Errorf("alice's follow lists after the block: %v", prof)
		}
		// Neither can follow, like or comment on the other.
		h.want(t, "POST", "/instamern/users/follow/alice", bob, nil, 404, "User not found.")
		h.want(t, "POST", "/instamern/users/follow/bob", alice, nil, 403, "You have blocked this account. Unblock it first.")
		h.want(t, "POST", "/instamern/posts/like/"+alicePost, bob, nil, 404, "Not found posts to like.")
		h.want(t, "POST", "/instamern/posts/comments/"+alicePost, bob, map[string]any{"comment": "hey"}, 404, "Not found any posts to comment.")
		h.want(t, "POST", "/instamern/posts/like/"+bobPost, alice, nil, 403, "You have blocked this account. Unblock it first.")
		h.want(t, "GET", "/instamern/posts/"+alicePost, bob, nil, 404, "The post no longer active.")
		h.want(t, "GET", "/instamern/users/username/alice", bob, nil, 404, "User not found.")
		// Bad targets.
		h.want(t, "POST", "/instamern/users/block/alice", alice, nil, 400, "You cannot block yourself.")
		h.want(t, "POST", "/instamern/users/block/nobody", alice, nil, 404, "User not found.")
		h.want(t, "POST", "/instamern/users/block/bob", user{}, nil, 401, "")
		// The list, then unblock.
		body := h.want(t, "GET", "/instamern/users/blocks", alice, nil, 200, "")
		if got := usernamesOf(t, body); len(got) != 1 || got[0] != "bob" {
			t.Errorf("blocks = %v; want [bob]", got)
		}
		if since, _ := list(t, body, "data", "users")[0].(map[string]any)["since"].(string); since == "" {
			t.Errorf("a block without since: %v", body)
		}
		h.want(t, "POST", "/instamern/users/unblock/bob", alice, nil, 200, "You have unblocked bob.")
		h.want(t, "POST", "/instamern/users/unblock/bob", alice, nil, 200, "You have unblocked bob.")
		h.want(t, "POST", "/instamern/users/follow/alice", bob, nil, 200, "Now, you are following alice")
		h.want(t, "POST", "/instamern/posts/like/"+alicePost, bob, nil, 200, "Liked!")
	})
}

func TestMuteAndLists(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice := h.signup(t, "alice")
		var names []string
		for _, n := range []string{"bob", "carol", "dave"} {
			u := h.signup(t, n)
			h.post(t, u, "by "+n)
			h.want(t, "POST", "/instamern/users/mute/"+n, alice, nil, 200, "You have muted "+n+".")
			h.clock.Advance(time.Second)
			names = append([]string{n}, names...) // newest first
		}
		// Muted posts leave alice's feed, silently: bob still sees alice,
		// and alice still sees bob's profile and posts.
		if got := list(t, h.want(t, "GET", "/instamern/posts", alice, nil, 200, ""), "data", "posts"); len(got) != 0 {
			t.Errorf("alice's feed with everyone muted: %d posts", len(got))
		}
		h.want(t, "GET", "/instamern/users/username/bob", alice, nil, 200, "")
		// Pages of one, newest first, then a bad cursor.
		var got []string
		path := "/instamern/users/mutes?limit=1"
		for range 4 {
			body := h.want(t, "GET", path, alice, nil, 200, "")
			got = append(got, usernamesOf(t, body)...)
			next, _ := body["next"].(string)
			if next == "" {
				break
			}
			path = "/instamern/users/mutes?limit=1&before=" + next
		}
		if len(got) != 3 || got[0] != names[0] || got[1] != names[1] || got[2] != names[2] {
			t.Errorf("mutes in pages of one = %v; want %v", got, names)
		}
		h.want(t, "GET", "/instamern/users/mutes?before=nope", alice, nil, 400, "The cursor is not valid.")
		h.want(t, "GET", "/instamern/users/blocks?limit=0", alice, nil, 400, "")
		h.want(t, "POST", "/instamern/users/unmute/bob", alice, nil, 200, "You have unmuted bob.")
		if got := list(t, h.want(t, "GET", "/instamern/posts", alice, nil, 200, ""), "data", "posts"); len(got) != 1 {
			t.Errorf("alice's feed with bob unmuted: %d posts; want 1", len(got))
		}
		h.want(t, "POST", "/instamern/users/mute/alice", alice, nil, 400, "You cannot mute yourself.")
		h.want(t, "GET", "/instamern/users/mutes", user{}, nil, 401, "")
	})
}

func TestPrivateAccount(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		h := newHarness(t, b)
		alice, bob, carol, dave := h.signup(t, "alice"), h.signup(t, "bob"), h.signup(t, "carol"), h.signup(t, "dave")
		post := h.post(t, alice, "mine")
		h.want(t, "POST", "/instamern/users/follow/alice", bob, nil, 200, "Now, you are following alice")
		h.want(t, "PATCH", "/instamern/users/privacy", alice, map[string]any{}, 400,
			"Please say whether your account is private (private: true or false).")
		h.want(t, "PATCH", "/instamern/users/privacy", alice, map[string]any{"private": "yes"}, 400, "")
		body := h.want(t, "PATCH", "/instamern/users/privacy", alice, map[string]any{"private": true}, 200, "")
		if obj(t, body, "data")["private"] != true {
			t.Errorf("privacy answer: %v", body)
		}
		if me := obj(t, h.want(t, "GET", "/instamern/users/authorization/current-user", alice, nil, 200, ""), "data", "user"); me["private"] != true {
			t.Errorf("current user after going private: %v", me)
		}
		// Bob's follow stays; carol and dave ask.
		h.want(t, "GET", "/instamern/posts/"+post, bob, nil, 200, "")
		h.want(t, "GET", "/instamern/posts/"+post, carol, nil, 403, "This account is private. Follow it to see its posts.")
		h.want(t, "POST", "/instamern/posts/like/"+post, carol, nil, 403, "This account is private. Follow it to see its posts.")
		for _, u := range []user{carol, dave, dave} {
			h.want(t, "POST", "/instamern/users/follow/alice", u, nil, 200, "Your follow request has been sent to alice.")
		}
		if got := usernamesOf(t, h.want(t, "GET", "/instamern/users/follow-requests", alice, nil, 200, "")); len(got) != 2 {
			t.Errorf("follow requests = %v; want dave and carol", got)
		}
		// Approve carol: she follows and sees the post.
		h.want(t, "POST", "/instamern/users/follow-requests/carol/approve", alice, nil, 200, "You have approved the follow request of carol.")
		h.want(t, "POST", "/instamern/users/follow-requests/carol/approve", alice, nil, 404, "There is no such follow request.")
		h.want(t, "GET", "/instamern/posts/"+post, carol, nil, 200, "")
		h.want(t, "POST", "/instamern/posts/like/"+post, carol, nil, 200, "Liked!")
		// Reject dave, who asks again and withdraws, then asks and unfollows.
		h.want(t, "POST", "/instamern/users/follow-requests/dave/reject", alice, nil, 200, "You have rejected the follow request of dave.")
		h.want(t, "POST", "/instamern/users/follow-requests/dave/reject", alice, nil, 404, "There is no such follow request.")
		h.want(t, "POST", "/instamern/users/follow/alice", dave, nil, 200, "Your follow request has been sent to alice.")
		h.want(t, "DELETE", "/instamern/users/follow-requests/alice", dave, nil, 200, "You have withdrawn your follow request to alice.")
		h.want(t, "DELETE", "/instamern/users/follow-requests/alice", dave, nil, 404, "There is no such follow request.")
		h.want(t, "POST", "/instamern/users/follow/alice", dave, nil, 200, "Your follow request has been sent to alice.")
		h.want(t, "POST", "/instamern/users/unfollow/alice", dave, nil, 200, "Now, you aren't following alice")
		if got := usernamesOf(t, h.want(t, "GET", "/instamern/users/follow-requests", alice, nil, 200, "")); len(got) != 0 {
			t.Errorf("follow requests after all were answered = %v", got)
		}
		h.want(t, "POST", "/instamern/users/follow-requests/nobody/approve", alice, nil, 404, "User not found.")
		h.want(t, "GET", "/instamern/users/follow-requests", user{}, nil, 401, "")
		// Public again: anyone sees the post.
		h.want(t, "PATCH", "/instamern/users/privacy", alice, map[string]any{"private": false}, 200, "Your account is public now.")
		h.want(t, "GET", "/instamern/posts/"+post, dave, nil, http.StatusOK, "")
	})
}
