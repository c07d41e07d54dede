package gram_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"testing"

	"github.com/instamern/gram/internal/app"
	"github.com/instamern/gram/internal/blob"
	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

// TestMediaReferenced checks the orphan test that the media sweep uses:
// objects of live posts, stories, avatars and ready exports are
// referenced; the object of a deleted post, a replaced avatar, a key that
// is not an export's archive, or a made-up key under a user is not.
func TestMediaReferenced(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"DATA_DIR": t.TempDir()}
	cfg, err := app.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, app.Overrides{Blobs: blob.NewMem("http://x"), Transport: &mail.Recorder{},
		Hasher: gram.NewHasher(gram.Argon2Params{Memory: 64, Time: 1, Threads: 1}, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	svc := a.Service
	u, _, err := svc.Signup(ctx, gram.SignupInput{Firstname: "Al", Lastname: "Ice", Username: "alice",
		Email: "a@example.com", Password: "tulip-orbit-42", PasswordConfirm: "tulip-orbit-42"}, gram.Client{})
	if err != nil {
		t.Fatal(err)
	}
	img := func() *bytes.Reader {
		var b bytes.Buffer
		_ = jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 64)), nil)
		return bytes.NewReader(b.Bytes())
	}
	live, err := svc.CreatePost(ctx, u, "live", img())
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := svc.CreatePost(ctx, u, "gone", img())
	if err := svc.DeletePost(ctx, u, gone.ID); err != nil {
		t.Fatal(err)
	}
	story, _ := svc.CreateStory(ctx, u, img())
	first, _ := svc.SetAvatar(ctx, u, img())
	oldAvatar := first.PhotoKey
	current, _ := svc.SetAvatar(ctx, u, img())
	pending, err := svc.RequestExport(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.BuildExports(ctx, 1); n != 1 || err != nil {
		t.Fatalf("BuildExports = %d, %v", n, err)
	}
	ready, err := svc.LatestExport(ctx, u)
	if err != nil || ready.BlobKey == "" {
		t.Fatalf("LatestExport = %+v, %v", ready, err)
	}
	tests := []struct {
		key  string
		want bool
	}{
		{live.PhotoKey, true},
		{gone.PhotoKey, false},
		{story.PhotoKey, true},
		{current.PhotoKey, true},
		{oldAvatar, false},
		{"users/" + u.ID + "/posts/000000000000000000000000.jpg", false},
		{ready.BlobKey, true},
		{"users/" + u.ID + "/exports/" + pending.ID + "-0123456789abcdef0123456789abcdef.zip", false}, // not its archive
		{"users/" + u.ID + "/exports/000000000000000000000000-0123.zip", false},
		{"users/" + u.ID + "/unknown/x.jpg", true},
		{"logo/logo.png", true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := svc.MediaReferenced(ctx, tt.key)
			if err != nil || got != tt.want {
				t.Fatalf("MediaReferenced(%q) = %v, %v; want %v", tt.key, got, err, tt.want)
			}
		})
	}
}
