package gram

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"time"
)

// The archive of an account export, format version 1 (docs/export.md):
// JSON files at the root, media files under media/.

// ExportFormat and ExportVersion name the archive's format in its
// manifest.json.
const (
	ExportFormat  = "instamern-export"
	ExportVersion = 1
)

// exportPage is how many rows a build reads at a time.
const exportPage = 500

// exportAll bounds the lists read in one call (followers, following,
// notifications): far above any real account.
const exportAll = 1 << 20

// exportTime is the archive's time format: ISO-8601 UTC with
// milliseconds, as in the API.
func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// archive writes one export into a zip.
type archive struct {
	s   *Service
	zw  *zip.Writer
	cnt map[string]int
}

// writeArchive builds u's archive into a temporary file, which is
// removed when closed, and returns it rewound with its size.
func (s *Service) writeArchive(ctx context.Context, u *User, x *Export) (f *tempFile, size int64, err error) {
	osf, err := os.CreateTemp("", "gram-export-*.zip")
	if err != nil {
		return nil, 0, err
	}
	f = &tempFile{osf}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	a := &archive{s: s, zw: zip.NewWriter(f), cnt: map[string]int{}}
	if err := a.write(ctx, u, x); err != nil {
		return nil, 0, err
	}
	if err := a.zw.Close(); err != nil {
		return nil, 0, err
	}
	if size, err = f.Seek(0, io.SeekEnd); err != nil {
		return nil, 0, err
	}
	_, err = f.Seek(0, io.SeekStart)
	return f, size, err
}

// tempFile is a temporary file that its Close removes.
type tempFile struct{ *os.File }

func (f *tempFile) Close() error {
	err := f.File.Close()
	return errors.Join(err, os.Remove(f.Name()))
}

// write writes every part of the archive, the manifest last.
func (a *archive) write(ctx context.Context, u *User, x *Export) error {
	for _, part := range []func(context.Context, *User) error{
		a.profile, a.posts, a.comments, a.likes, a.follows, a.stories, a.notifications, a.reports,
	} {
		if err := part(ctx, u); err != nil {
			return err
		}
	}
	return a.json("manifest.json", map[string]any{
		"format": ExportFormat, "version": ExportVersion, "exportId": x.ID, "userId": u.ID, "username": u.Username,
		"requestedAt": exportTime(x.CreatedAt), "createdAt": exportTime(a.s.now()), "counts": a.cnt,
	})
}

// json writes v as the indented JSON file name.
func (a *archive) json(name string, v any) error {
	w, err := a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: a.s.now()})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// list writes items as the JSON array name and counts them.
func list[T any](a *archive, name string, items []T) error {
	if items == nil {
		items = []T{}
	}
	a.cnt[name] = len(items)
	return a.json(name, items)
}

// media copies the object key into the archive as dir/<base><ext> and
// returns that path, or "" when the object is gone (deleted meanwhile).
// Images are stored as they are: they are compressed already.
func (a *archive) media(ctx context.Context, key, dir, base string) (string, error) {
	if key == "" {
		return "", nil
	}
	body, _, err := a.s.blobs.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("export media %s: %w", key, err)
	}
	defer body.Close()
	name := "media/" + dir + "/" + base + path.Ext(key)
	w, err := a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: a.s.now()})
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(w, body); err != nil {
		return "", fmt.Errorf("export media %s: %w", key, err)
	}
	a.cnt["media"]++
	return name, nil
}

func (a *archive) profile(ctx context.Context, u *User) error {
	photo, err := a.media(ctx, u.PhotoKey, "avatar", u.ID)
	if err != nil {
		return err
	}
	return a.json("profile.json", map[string]any{
		"id": u.ID, "username": u.Username, "email": u.Email, "firstname": u.Firstname, "lastname": u.Lastname,
		"bio": u.Bio, "role": u.Role, "active": u.Active, "private": u.Private, "createdAt": exportTime(u.CreatedAt),
		"updatedAt": exportTime(u.UpdatedAt), "photo": photo,
	})
}

// pagedList writes the JSON array name of view(item) for every item of a
// list read page by page, newest first.
func pagedList[T, V any](ctx context.Context, a *archive, name string, read func(context.Context, Page) ([]T, error),
	key func(T) (time.Time, string), view func(T) (V, error)) error {
	var out []V
	page := Page{Limit: exportPage}
	for {
		items, err := read(ctx, page)
		if err != nil {
			return err
		}
		for _, it := range items {
			v, err := view(it)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		if page = nextPage(items, page, key); !page.HasCursor() {
			return list(a, name, out)
		}
	}
}

type exportPost struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Photo     string `json:"photo"`
	Likes     int    `json:"likes"`
	Comments  int    `json:"comments"`
	CreatedAt string `json:"createdAt"`
}

func (a *archive) posts(ctx context.Context, u *User) error {
	return pagedList(ctx, a, "posts.json", func(ctx context.Context, p Page) ([]*Post, error) { return a.s.store.PostsByUser(ctx, u.ID, p) },
		func(p *Post) (time.Time, string) { return p.CreatedAt, p.ID },
		func(p *Post) (exportPost, error) {
			photo, err := a.media(ctx, p.PhotoKey, "posts", p.ID)
			return exportPost{ID: p.ID, Caption: p.Caption, Photo: photo, Likes: p.LikeCount,
				Comments: p.CommentCount, CreatedAt: exportTime(p.CreatedAt)}, err
		})
}

type exportComment struct {
	ID        string `json:"id"`
	PostID    string `json:"postId"`
	Text      string `json:"text"`
	CreatedAt string `json:"createdAt"`
}

func (a *archive) comments(ctx context.Context, u *User) error {
	return pagedList(ctx, a, "comments.json", func(ctx context.Context, p Page) ([]*Comment, error) { return a.s.store.CommentsByAuthor(ctx, u.ID, p) },
		func(c *Comment) (time.Time, string) { return c.CreatedAt, c.ID },
		func(c *Comment) (exportComment, error) {
			return exportComment{ID: c.ID, PostID: c.PostID, Text: c.Text, CreatedAt: exportTime(c.CreatedAt)}, nil
		})
}

type exportLike struct {
	PostID    string `json:"postId"`
	CreatedAt string `json:"createdAt"`
}

func (a *archive) likes(ctx context.Context, u *User) error {
	return pagedList(ctx, a, "likes.json", func(ctx context.Context, p Page) ([]*Like, error) { return a.s.store.LikesByUser(ctx, u.ID, p) },
		func(l *Like) (time.Time, string) { return l.CreatedAt, l.PostID },
		func(l *Like) (exportLike, error) {
			return exportLike{PostID: l.PostID, CreatedAt: exportTime(l.CreatedAt)}, nil
		})
}

type exportUser struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// follows writes followers.json and following.json: ids with the
// usernames of the accounts that still exist.
func (a *archive) follows(ctx context.Context, u *User) error {
	for _, side := range []struct {
		name string
		ids  func(context.Context, string, int) ([]string, error)
	}{{"followers.json", a.s.store.FollowerIDs}, {"following.json", a.s.store.FollowingIDs}} {
		ids, err := side.ids(ctx, u.ID, exportAll)
		if err != nil {
			return err
		}
		names := map[string]string{}
		for start := 0; start < len(ids); start += exportPage {
			us, err := a.s.store.UsersByIDs(ctx, ids[start:min(start+exportPage, len(ids))])
			if err != nil {
				return err
			}
			for _, f := range us {
				names[f.ID] = f.Username
			}
		}
		out := make([]exportUser, 0, len(ids))
		for _, id := range ids {
			out = append(out, exportUser{ID: id, Username: names[id]})
		}
		if err := list(a, side.name, out); err != nil {
			return err
		}
	}
	return nil
}

type exportStory struct {
	ID        string `json:"id"`
	Photo     string `json:"photo"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

func (a *archive) stories(ctx context.Context, u *User) error {
	sts, err := a.s.store.StoriesByUser(ctx, u.ID, a.s.now(), exportAll)
	if err != nil {
		return err
	}
	out := make([]exportStory, 0, len(sts))
	for _, st := range sts {
		photo, err := a.media(ctx, st.PhotoKey, "stories", st.ID)
		if err != nil {
			return err
		}
		out = append(out, exportStory{ID: st.ID, Photo: photo, CreatedAt: exportTime(st.CreatedAt), ExpiresAt: exportTime(st.ExpiresAt)})
	}
	return list(a, "stories.json", out)
}

type exportNotification struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Text      string `json:"text,omitempty"`
	ActorID   string `json:"actorId"`
	PostID    string `json:"postId,omitempty"`
	CreatedAt string `json:"createdAt"`
}

func (a *archive) notifications(ctx context.Context, u *User) error {
	ns, err := a.s.store.NotificationsFor(ctx, u.ID, exportAll)
	if err != nil {
		return err
	}
	out := make([]exportNotification, 0, len(ns))
	for _, n := range ns {
		out = append(out, exportNotification{ID: n.ID, Kind: n.Kind, Text: NotificationText(n.Kind), ActorID: n.ActorID,
			PostID: n.PostID, CreatedAt: exportTime(n.CreatedAt)})
	}
	return list(a, "notifications.json", out)
}

type exportReport struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	TargetID   string `json:"targetId"`
	Reason     string `json:"reason"`
	Note       string `json:"note"`
	State      string `json:"state"`
	Action     string `json:"action,omitempty"`
	CreatedAt  string `json:"createdAt"`
	ResolvedAt string `json:"resolvedAt,omitempty"`
}

// reports writes the reports the user filed, with their outcome (what
// the reporter sees of them).
func (a *archive) reports(ctx context.Context, u *User) error {
	return pagedList(ctx, a, "reports.json", func(ctx context.Context, p Page) ([]*Report, error) { return a.s.store.ReportsByReporter(ctx, u.ID, p) },
		func(r *Report) (time.Time, string) { return r.CreatedAt, r.ID },
		func(r *Report) (exportReport, error) {
			return exportReport{ID: r.ID, Type: r.TargetType, TargetID: r.TargetID, Reason: r.Reason, Note: r.Note,
				State: r.State, Action: r.Action, CreatedAt: exportTime(r.CreatedAt), ResolvedAt: exportTime(r.ResolvedAt)}, nil
		})
}
