package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/instamern/gram/internal/seed"
)

// op is one kind of request.
type op struct {
	name string
	run  func(ctx context.Context, v *vu) error
}

// The operations, named as in the report.
var (
	opFeed = &op{"feed", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/posts", nil)
	}}
	opFeedDeep = &op{"feed-deep", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/posts?before="+url.QueryEscape(v.t.deep), nil)
	}}
	opHome = &op{"home", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/posts/home", nil)
	}}
	opHomeDeep = &op{"home-deep", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/posts/home?before="+url.QueryEscape(v.t.deep), nil)
	}}
	opPost = &op{"post", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/posts/"+v.post(), nil)
	}}
	opProfile = &op{"profile", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/users/username/"+seed.Username(v.otherUser()), nil)
	}}
	opLike    = &op{"like", toggleLike}
	opComment = &op{"comment", func(ctx context.Context, v *vu) error {
		return v.postJSON(ctx, "/instamern/posts/comments/"+v.post(), map[string]string{"comment": "Lovely light in this one."},
			http.StatusCreated, nil)
	}}
	opFollow = &op{"follow", func(ctx context.Context, v *vu) error {
		verb := "unfollow"
		if v.follow = !v.follow; v.follow {
			verb = "follow"
		}
		return v.do(ctx, http.MethodPost, "/instamern/users/"+verb+"/"+seed.Username(v.otherUser()), "", nil, http.StatusOK, nil)
	}}
	opMe = &op{"current-user", func(ctx context.Context, v *vu) error {
		return v.getJSON(ctx, "/instamern/users/authorization/current-user", nil)
	}}
	opLogin = &op{"login", func(ctx context.Context, v *vu) error {
		_, err := login(ctx, v.t, v.otherUser())
		return err
	}}
	opUpload = &op{"upload", upload}
)

// mix is the realistic weighted mix: mostly reading, some writing, a
// little logging in and uploading.
var mix = []weighted{
	{opFeed, 30}, {opFeedDeep, 5}, {opPost, 20}, {opProfile, 15}, {opMe, 8},
	{opLike, 12}, {opComment, 4}, {opFollow, 3}, {opLogin, 1}, {opUpload, 2},
}

type weighted struct {
	op     *op
	weight int
}

func (v *vu) post() string { return v.t.postIDs[v.rng.IntN(len(v.t.postIDs))] }

// otherUser picks an active seeded user other than v's own.
func (v *vu) otherUser() int {
	for {
		if i := v.rng.IntN(v.t.users); i != v.user && seed.Active(i) {
			return i
		}
	}
}

func toggleLike(ctx context.Context, v *vu) error {
	id := v.post()
	var out struct{ Message string }
	if err := v.do(ctx, http.MethodPost, "/instamern/posts/like/"+id, "", nil, http.StatusOK, &out); err != nil {
		return err
	}
	if v.liked != nil {
		switch out.Message {
		case "Liked!":
			v.liked(id, true)
		case "Unliked.":
			v.liked(id, false)
		default:
			return fmt.Errorf("like: unexpected message %q", out.Message)
		}
	}
	return nil
}

func upload(ctx context.Context, v *vu) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("caption", "Uploaded under load")
	fw, err := mw.CreateFormFile("post", "photo.jpg")
	if err != nil {
		return err
	}
	_, _ = fw.Write(v.t.jpeg)
	_ = mw.Close()
	return v.do(ctx, http.MethodPost, "/instamern/posts/upload", mw.FormDataContentType(), body.Bytes(), http.StatusCreated, nil)
}

// login logs seeded user i in and returns the token.
func login(ctx context.Context, t *target, i int) (string, error) {
	anon := &vu{t: t}
	var out struct{ Token string }
	err := anon.postJSON(ctx, "/instamern/users/login", map[string]string{"username": seed.Username(i), "password": seed.Password},
		http.StatusOK, &out)
	if err == nil && out.Token == "" {
		err = fmt.Errorf("login: no token in the answer")
	}
	return out.Token, err
}
