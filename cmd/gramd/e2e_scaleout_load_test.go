package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// The load: workers, each signed in as its own account, run a mix of
// reads, like toggles, follows and unfollows, comments, uploads and reset requests
// through nginx, one request at a time each, and record every request
// and what came of it.

// loadOp is one request of the load and its outcome.
type loadOp struct {
	kind       string // read, like, follow, comment, upload, story, forgot
	worker     int
	target     string // a post id (like, comment), a username (follow), a path (read)
	text       string // a comment's body; follow or unfollow
	id         string // X-Request-Id, also in nginx's access log
	start, end time.Time
	status     int
	instance   string // X-Gram-Instance: the replica that answered ("" for nginx)
	msg        string // the envelope's message
	created    string // the id of the post or story an upload created
	err        error
}

// acked reports whether a replica answered with the success wanted.
func (o *loadOp) acked() bool { return o.err == nil && o.instance != "" && o.status/100 == 2 }

// failed reports whether the request failed in nginx: the connection
// dropped, or nginx answered 502 or 504 itself because the replica that
// had the request went away.
func (o *loadOp) failed() bool {
	return o.err != nil || (o.instance == "" && (o.status == http.StatusBadGateway || o.status == http.StatusGatewayTimeout))
}

// scaleLoad is the state the workers share.
type scaleLoad struct {
	c       *cluster
	client  *http.Client
	users   []account
	posts   []string // posts the workers like and comment on
	photo   []byte
	mu      sync.Mutex
	ops     []*loadOp
	seq     int
	weights []opWeight
}

type opWeight struct {
	kind   string
	weight int
}

// defaultMix is the mixed load: mostly reads, then toggles and comments,
// some uploads and reset mails.
var defaultMix = []opWeight{{"read", 45}, {"like", 20}, {"comment", 12}, {"follow", 8}, {"upload", 7}, {"story", 3}, {"forgot", 5}}

// newLoad signs up n accounts named name00, name01... (worker i is
// users[i]) and gives the first four a post each.
func newLoad(t *testing.T, c *cluster, name string, n int, mix []opWeight) *scaleLoad {
	t.Helper()
	l := &scaleLoad{c: c, client: lbClient(false), photo: testJPEG(t, 480, 600), weights: mix}
	for i := range n {
		l.users = append(l.users, c.signup(t, fmt.Sprintf("%s%02d", name, i)))
	}
	for i := range min(n, 4) {
		p := c.front.upload("/instamern/posts/upload", l.users[i].token, "post", l.photo, map[string]string{"caption": "target"}, 201).Data.Post
		l.posts = append(l.posts, p.ID)
	}
	return l
}

// run runs one worker per account until ctx is done.
func (l *scaleLoad) run(ctx context.Context) {
	var wg sync.WaitGroup
	for w := range l.users {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				l.record(l.do(l.next(rng, w)))
			}
		})
	}
	wg.Wait()
}

// start runs the load in the background until stop is called (or t
// ends); stop waits for the workers' last requests.
func (l *scaleLoad) start(t *testing.T) (stop func()) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { l.run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func (l *scaleLoad) record(op *loadOp) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops = append(l.ops, op)
}

// next picks worker w's next request.
func (l *scaleLoad) next(rng *rand.Rand, w int) *loadOp {
	l.mu.Lock()
	l.seq++
	op := &loadOp{worker: w, id: fmt.Sprintf("load-%s-%d", l.c.domain[:18], l.seq)}
	l.mu.Unlock()
	total := 0
	for _, mw := range l.weights {
		total += mw.weight
	}
	n := rng.IntN(total)
	for _, mw := range l.weights {
		if n < mw.weight {
			op.kind = mw.kind
			break
		}
		n -= mw.weight
	}
	switch op.kind {
	case "like", "comment":
		op.target = l.posts[rng.IntN(len(l.posts))]
		op.text = op.id
	case "read":
		paths := []string{"/instamern/posts/", "/instamern/posts/" + l.posts[rng.IntN(len(l.posts))],
			"/instamern/users/username/" + l.users[rng.IntN(len(l.users))].username, "/instamern/users/authorization/current-user"}
		op.target = paths[rng.IntN(len(paths))]
	case "follow":
		op.target = l.users[(w+1+rng.IntN(len(l.users)-1))%len(l.users)].username
		op.text = []string{"follow", "unfollow"}[rng.IntN(2)]
	}
	return op
}

// do sends op's request through nginx and fills in its outcome.
func (l *scaleLoad) do(op *loadOp) *loadOp {
	u := l.users[op.worker]
	var req *http.Request
	switch op.kind {
	case "read":
		req, _ = http.NewRequest("GET", l.c.lb.base+op.target, nil)
	case "like":
		req, _ = http.NewRequest("POST", l.c.lb.base+"/instamern/posts/like/"+op.target, nil)
	case "follow":
		req, _ = http.NewRequest("POST", l.c.lb.base+"/instamern/users/"+op.text+"/"+op.target, nil)
	case "comment":
		req = jsonRequest(l.c.lb.base+"/instamern/posts/comments/"+op.target, map[string]string{"comment": op.text})
	case "upload":
		req = l.c.front.uploadRequest("/instamern/posts/upload", "post", l.photo, map[string]string{"caption": op.id})
	case "story":
		req = l.c.front.uploadRequest("/instamern/stories/upload", "story", l.photo, nil)
	case "forgot":
		req = jsonRequest(l.c.lb.base+"/instamern/users/forgot-password", map[string]string{"email": u.email})
	}
	req.Header.Set("Authorization", "Bearer "+u.token)
	req.Header.Set("X-Request-Id", op.id)
	op.start = time.Now()
	res, err := l.client.Do(req)
	if err != nil {
		op.end, op.err = time.Now(), err
		return op
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	op.end, op.status, op.instance, op.err = time.Now(), res.StatusCode, res.Header.Get("X-Gram-Instance"), err
	var r reply
	if op.instance != "" && json.Unmarshal(raw, &r) == nil {
		op.msg = r.Message
		op.created = r.Data.Post.ID + r.Data.Story.ID
	} else if op.instance != "" {
		op.msg = string(raw)
	}
	return op
}

func jsonRequest(url string, body any) *http.Request {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return req
}
