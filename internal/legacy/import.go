package legacy

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/instamern/gram/internal/gram"
)

// Kinds of records in the report, in the order they are imported.
const (
	KindUsers         = "users"
	KindFollows       = "follows"
	KindNotifications = "notifications"
	KindPosts         = "posts"
	KindLikes         = "likes"
	KindComments      = "comments"
	KindStories       = "stories"
)

// Options tune an import.
type Options struct {
	// Batch is how many records one transaction writes (default 1000).
	Batch int
	// Progress, when set, hears how far the reading of a collection is,
	// every thousand documents and at its end; total is Source.Count's.
	Progress func(coll string, read, total int64)
	// Log, when set, gets one line per skipped or repaired record: the
	// kind, the record (its id, or the pair of ids) and what happened.
	Log io.Writer
	// Now is the clock (stories that expired before now are skipped).
	Now func() time.Time
	// Media says in the report what happens to the photos.
	Media string
}

// ErrAborted wraps the error that stopped an import before its end: the
// source or the target became unreachable, or the context ended. What was
// written stays; running the same import again goes on from there.
var ErrAborted = errors.New("import stopped")

// Import reads src and writes what it holds into store. Records that
// break a rule are repaired when the repair is obvious and skipped
// otherwise; neither stops the import. Running it again writes only what
// is not there yet.
func Import(ctx context.Context, src Source, store gram.Store, opt Options) (*Report, error) {
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	im := &importer{src: src, store: store, opt: opt, started: opt.Now(),
		have: map[bson.ObjectID]*accepted{}, posts: map[bson.ObjectID]struct{}{}, edges: map[[24]byte]uint8{}}
	im.rep = &Report{Started: im.started, Media: opt.Media}
	for _, k := range []string{KindUsers, KindFollows, KindNotifications, KindPosts, KindLikes, KindComments, KindStories} {
		im.rep.Tallies = append(im.rep.Tallies, newTally(k))
	}
	err := im.run(ctx)
	im.rep.Took = opt.Now().Sub(im.started)
	if err != nil {
		return im.rep, fmt.Errorf("%w: %w", ErrAborted, err)
	}
	return im.rep, nil
}

// accepted is a user that passed the first reading: the username and
// email it is imported with. written is set once it is in the store.
type accepted struct {
	username, email string
	renamedFrom     string
	written         bool
	created         time.Time
}

// note is an embedded notification kept until every user is written.
type note struct {
	id, recipient, actor bson.ObjectID
	kind                 string
	seen                 bool
}

type importer struct {
	src     Source
	store   gram.Store
	opt     Options
	started time.Time
	rep     *Report

	have  map[bson.ObjectID]*accepted // users that passed the first reading
	posts map[bson.ObjectID]struct{}  // posts written (now or before)
	edges map[[24]byte]uint8          // follow edges: follower+followee -> fromFollowings|fromFollowers
	notes []note
}

const (
	fromFollowings = 1 << iota
	fromFollowers
)

func (im *importer) tally(kind string) *Tally { return im.rep.Tally(kind) }

// skip counts a record of kind that is not imported, and logs it.
func (im *importer) skip(kind, record, reason string) {
	t := im.tally(kind)
	t.Skipped++
	t.Skips[reason]++
	if im.opt.Log != nil {
		fmt.Fprintf(im.opt.Log, "%s %s skipped: %s\n", kind, record, reason)
	}
}

// repairs counts a record of kind imported with the repairs fixes.
func (im *importer) repaired(kind, record string, fixes []string) {
	if len(fixes) == 0 {
		return
	}
	t := im.tally(kind)
	t.Repaired++
	for _, f := range fixes {
		t.Repairs[f]++
		if im.opt.Log != nil {
			fmt.Fprintf(im.opt.Log, "%s %s repaired: %s\n", kind, record, f)
		}
	}
}

func (im *importer) run(ctx context.Context) error {
	if err := im.readUsers(ctx); err != nil {
		return err
	}
	if err := im.writeUsers(ctx); err != nil {
		return err
	}
	if err := im.writeFollows(ctx); err != nil {
		return err
	}
	if err := im.writeNotifications(ctx); err != nil {
		return err
	}
	if err := im.writePosts(ctx); err != nil {
		return err
	}
	if err := im.writeComments(ctx); err != nil {
		return err
	}
	if err := im.writeStories(ctx); err != nil {
		return err
	}
	return im.store.FinishImport(ctx, im.started)
}

// each reads coll, reporting progress; a document that cannot be read is
// skipped as a record of kind.
func (im *importer) each(ctx context.Context, coll, kind string, fn func(bson.Raw) error) error {
	total, err := im.src.Count(ctx, coll)
	if err != nil {
		return err
	}
	var n int64
	progress := func() {
		if im.opt.Progress != nil {
			im.opt.Progress(coll, n, max(total, n))
		}
	}
	err = im.src.Each(ctx, coll, func(doc bson.Raw, bad error) error {
		n++
		if n%1000 == 0 {
			progress()
		}
		if bad != nil {
			im.tally(kind).Read++
			im.skip(kind, "#"+strconv.FormatInt(n, 10), bad.Error())
			return nil
		}
		return fn(doc)
	})
	progress()
	return err
}

// Field readers. Ids are ObjectIds, or their 24-hex string form.

func idOf(v bson.RawValue) (bson.ObjectID, bool) {
	if id, ok := v.ObjectIDOK(); ok {
		return id, true
	}
	if s, ok := v.StringValueOK(); ok {
		id, err := bson.ObjectIDFromHex(strings.TrimSpace(s))
		return id, err == nil
	}
	return bson.ObjectID{}, false
}

func docID(doc bson.Raw) (bson.ObjectID, bool) { return idOf(doc.Lookup("_id")) }

// text returns a string field and whether the document has one.
func text(doc bson.Raw, key string) (string, bool) {
	return doc.Lookup(key).StringValueOK()
}

// idList reads an array of ids; entries that are not ids are counted.
func idList(doc bson.Raw, key string) (ids []bson.ObjectID, bad int) {
	arr, ok := doc.Lookup(key).ArrayOK()
	if !ok {
		return nil, 0
	}
	vals, err := arr.Values()
	if err != nil {
		return nil, 1
	}
	for _, v := range vals {
		if id, ok := idOf(v); ok {
			ids = append(ids, id)
		} else {
			bad++
		}
	}
	return ids, bad
}

// created is the creation time an ObjectId holds, the only reliable one
// of the original (it has no timestamps, and posts' postedAt is the
// server's start time).
func created(id bson.ObjectID) time.Time { return id.Timestamp().UTC() }

// unescape undoes the original's xss-clean, which stored every "<" that
// came in a JSON body as "&lt;".
func unescape(s string, fixes *[]string, field string) string {
	if strings.Contains(s, "&lt;") {
		*fixes = append(*fixes, field+": &lt; turned back into <")
		return strings.ReplaceAll(s, "&lt;", "<")
	}
	return s
}

// photoURL reads a photo field: an absolute http(s) URL, kept as the
// photo's key (the media store serves such keys as they are).
func photoURL(doc bson.Raw, key string) (string, bool) {
	s, _ := text(doc, key)
	s = strings.TrimSpace(s)
	if (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && len(s) > len("https://") && !strings.ContainsAny(s, " \n\t") {
		return s, true
	}
	return "", false
}

// Users.

// readUsers is the first reading of users: it decides who is imported
// under which username and email. Usernames and emails are unique
// case-insensitively here (the original told them apart by case): the
// oldest account keeps a name; a younger one with the same username gets
// a free one with a number, and one with the same email is skipped.
func (im *importer) readUsers(ctx context.Context) error {
	type cand struct {
		id              bson.ObjectID
		username, email string
		orig            string
	}
	var cands []cand
	seen := map[bson.ObjectID]bool{}
	t := im.tally(KindUsers)
	err := im.each(ctx, CollUsers, KindUsers, func(doc bson.Raw) error {
		t.Read++
		id, ok := docID(doc)
		if !ok {
			im.skip(KindUsers, "(no _id)", "no ObjectId _id")
			return nil
		}
		if seen[id] {
			im.skip(KindUsers, id.Hex(), "a second document with this _id")
			return nil
		}
		seen[id] = true
		var fixes []string
		orig, _ := text(doc, "username")
		uname := gram.NormalizeUsername(unescape(orig, &fixes, "username"))
		rawEmail, _ := text(doc, "email")
		email, valid := gram.NormalizeEmail(unescape(rawEmail, &fixes, "email"))
		switch {
		case uname == "":
			im.skip(KindUsers, id.Hex(), "no username")
		case email == "":
			im.skip(KindUsers, id.Hex(), "no email")
		case !valid:
			im.skip(KindUsers, id.Hex(), "invalid email")
		default:
			cands = append(cands, cand{id, uname, email, strings.TrimSpace(orig)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(cands, func(a, b cand) int { return bytes.Compare(a.id[:], b.id[:]) })
	emails := map[string]bool{}
	taken := map[string]bool{}
	var kept []cand
	for _, c := range cands {
		if emails[c.email] {
			im.skip(KindUsers, c.id.Hex(), "email taken by an older account (emails are compared ignoring case)")
			continue
		}
		emails[c.email] = true
		kept = append(kept, c)
	}
	var clash []cand
	for _, c := range kept {
		if taken[c.username] {
			clash = append(clash, c)
			continue
		}
		taken[c.username] = true
		im.have[c.id] = &accepted{username: c.username, email: c.email, created: created(c.id)}
	}
	for _, c := range clash {
		name := freeName(c.username, taken)
		taken[name] = true
		im.have[c.id] = &accepted{username: name, email: c.email, renamedFrom: c.orig, created: created(c.id)}
	}
	return nil
}

// freeName returns base with the lowest number suffix ("_2", "_3", ...)
// that is not taken, cut to fit the username length where it can.
func freeName(base string, taken map[string]bool) string {
	for n := 2; ; n++ {
		suffix := "_" + strconv.Itoa(n)
		b := base
		for utf8.RuneCountInString(b)+len(suffix) > gram.UsernameMax && utf8.RuneCountInString(b) > gram.UsernameMin {
			_, size := utf8.DecodeLastRuneInString(b)
			b = b[:len(b)-size]
		}
		if !taken[b+suffix] {
			return b + suffix
		}
	}
}

// writeUsers is the second reading of users: it writes the accepted ones
// and keeps their follow lists and notifications for later.
func (im *importer) writeUsers(ctx context.Context) error {
	var (
		batch []*gram.User
		fixes [][]string
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := im.store.ImportUsers(ctx, batch)
		if err != nil {
			return err
		}
		t := im.tally(KindUsers)
		for i, u := range batch {
			id, _ := bson.ObjectIDFromHex(u.ID)
			switch out[i] {
			case gram.ImportInserted:
				t.Imported++
			case gram.ImportPresent:
				t.Present++
			case gram.ImportConflict:
				im.skip(KindUsers, u.ID, "the username or email belongs to another account of the target")
				delete(im.have, id)
				continue
			}
			im.have[id].written = true
			im.repaired(KindUsers, u.ID, fixes[i])
		}
		batch, fixes = batch[:0], fixes[:0]
		return nil
	}
	done := map[bson.ObjectID]bool{}
	err := im.src.Each(ctx, CollUsers, func(doc bson.Raw, bad error) error {
		if bad != nil {
			return nil // counted by the first reading
		}
		id, _ := docID(doc)
		a := im.have[id]
		if a == nil || done[id] {
			return nil
		}
		done[id] = true
		u, fx := im.user(doc, id, a)
		batch, fixes = append(batch, u), append(fixes, fx)
		if len(batch) >= im.opt.Batch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	// Users the second reading did not find (the source changed between
	// the readings) are not written.
	for id, a := range im.have {
		if !a.written {
			delete(im.have, id)
		}
	}
	return nil
}

// unusableHash is the password hash of an imported account whose
// original hash is missing or broken: no password matches it, and a
// password reset sets a real one.
const unusableHash = "!imported-without-password"

// user converts one accepted user document, collecting its follow edges
// and notifications.
func (im *importer) user(doc bson.Raw, id bson.ObjectID, a *accepted) (*gram.User, []string) {
	var fixes []string
	if a.renamedFrom != "" {
		fixes = append(fixes, "username differs from an older account's only by case: renamed")
		if im.opt.Log != nil {
			fmt.Fprintf(im.opt.Log, "users %s renamed: %q is now %q\n", id.Hex(), a.renamedFrom, a.username)
		}
	}
	name := func(key string) string {
		s, ok := text(doc, key)
		if !ok {
			fixes = append(fixes, "no "+key+": left empty")
		}
		return gram.CleanLine(unescape(s, &fixes, key))
	}
	u := &gram.User{ID: id.Hex(), Username: a.username, Email: a.email, Role: gram.RoleUser, Active: true,
		CreatedAt: a.created, UpdatedAt: a.created}
	u.Firstname, u.Lastname = name("firstname"), name("lastname")
	bio, _ := text(doc, "bio")
	u.Bio = gram.CleanText(unescape(bio, &fixes, "bio"))
	u.PasswordHash, _ = text(doc, "password")
	if !strings.HasPrefix(u.PasswordHash, "$2") || len(u.PasswordHash) != 60 {
		u.PasswordHash = unusableHash
		fixes = append(fixes, "no bcrypt password hash: the user must reset the password")
	}
	if v := doc.Lookup("photo"); v.Type != 0 && v.Type != bson.TypeNull {
		if key, ok := photoURL(doc, "photo"); ok {
			u.PhotoKey = key
		} else if s, _ := v.StringValueOK(); s != "" {
			fixes = append(fixes, "photo is not a URL: dropped")
		}
	}
	if active, ok := doc.Lookup("active").BooleanOK(); ok {
		u.Active = active
	}
	for _, f := range []struct {
		key  string
		flag uint8
	}{{"followings", fromFollowings}, {"followers", fromFollowers}} {
		ids, bad := idList(doc, f.key)
		for range bad {
			im.tally(KindFollows).Read++
			im.skip(KindFollows, id.Hex(), "an entry of "+f.key+" is not an id")
		}
		for _, other := range ids {
			var e [24]byte
			if f.flag == fromFollowings {
				copy(e[:12], id[:])
				copy(e[12:], other[:])
			} else {
				copy(e[:12], other[:])
				copy(e[12:], id[:])
			}
			im.edges[e] |= f.flag
		}
	}
	im.readNotes(doc, id)
	return u, fixes
}

// kinds maps the original's notification texts to kinds.
var kinds = map[string]string{
	"followed you.":         gram.NotifyFollow,
	"liked your photo.":     gram.NotifyLike,
	"commented your photo.": gram.NotifyComment,
}

func (im *importer) readNotes(doc bson.Raw, owner bson.ObjectID) {
	arr, ok := doc.Lookup("notifications").ArrayOK()
	if !ok {
		return
	}
	vals, err := arr.Values()
	t := im.tally(KindNotifications)
	if err != nil {
		t.Read++
		im.skip(KindNotifications, owner.Hex(), "the notifications array is not readable")
		return
	}
	for _, v := range vals {
		t.Read++
		n, ok := v.DocumentOK()
		if !ok {
			im.skip(KindNotifications, owner.Hex(), "an entry is not a document")
			continue
		}
		nid, ok := docID(n)
		if !ok {
			im.skip(KindNotifications, owner.Hex(), "no ObjectId _id")
			continue
		}
		actor, ok := idOf(n.Lookup("notifiedBy"))
		if !ok {
			im.skip(KindNotifications, nid.Hex(), "no notifiedBy")
			continue
		}
		txt, _ := text(n, "notification")
		kind := kinds[txt]
		if kind == "" {
			im.skip(KindNotifications, nid.Hex(), "unknown notification text")
			continue
		}
		isNew, hasNew := n.Lookup("new").BooleanOK()
		im.notes = append(im.notes, note{id: nid, recipient: owner, actor: actor, kind: kind, seen: hasNew && !isNew})
	}
}

// Rows after users: written in batches through ImportRows.

// rows collects records of one or more kinds to write together, and how
// many of each were accepted, so that what ImportRows did not insert is
// counted as there already.
type rows struct {
	b        gram.ImportBatch
	accepted gram.ImportCounts
	size     int
}

func (r *rows) add(kind string) {
	r.size++
	switch kind {
	case KindFollows:
		r.accepted.Follows++
	case KindNotifications:
		r.accepted.Notifications++
	case KindPosts:
		r.accepted.Posts++
	case KindLikes:
		r.accepted.Likes++
	case KindComments:
		r.accepted.Comments++
	case KindStories:
		r.accepted.Stories++
	}
}

// flush writes the collected rows. A batch the store refuses (a row it
// will not take) is written again row by row, skipping the refused rows,
// unless the store is unreachable, which stops the import.
func (im *importer) flush(ctx context.Context, r *rows) error {
	if r.size == 0 {
		return nil
	}
	defer func() { *r = rows{} }()
	n, err := im.store.ImportRows(ctx, &r.b)
	if err == nil {
		im.count(r.accepted, n)
		return nil
	}
	if ctx.Err() != nil || errors.Is(err, gram.ErrStoreUnavailable) {
		return err
	}
	one := func(kind, record string, b gram.ImportBatch) error {
		n, err := im.store.ImportRows(ctx, &b)
		switch {
		case err == nil:
			var acc gram.ImportCounts
			setCount(&acc, kind, 1)
			im.count(acc, n)
		case ctx.Err() != nil || errors.Is(err, gram.ErrStoreUnavailable):
			return err
		default:
			im.skip(kind, record, "refused by the target database: "+err.Error())
			if kind == KindPosts {
				id, _ := bson.ObjectIDFromHex(record)
				delete(im.posts, id)
			}
		}
		return nil
	}
	for _, f := range r.b.Follows {
		if err := one(KindFollows, f.FollowerID+"->"+f.FolloweeID, gram.ImportBatch{Follows: []gram.Follow{f}}); err != nil {
			return err
		}
	}
	for _, p := range r.b.Posts {
		if err := one(KindPosts, p.ID, gram.ImportBatch{Posts: []*gram.Post{p}}); err != nil {
			return err
		}
	}
	for _, l := range r.b.Likes {
		if err := one(KindLikes, l.PostID+"<-"+l.UserID, gram.ImportBatch{Likes: []gram.Like{l}}); err != nil {
			return err
		}
	}
	for _, c := range r.b.Comments {
		if err := one(KindComments, c.ID, gram.ImportBatch{Comments: []*gram.Comment{c}}); err != nil {
			return err
		}
	}
	for _, s := range r.b.Stories {
		if err := one(KindStories, s.ID, gram.ImportBatch{Stories: []*gram.Story{s}}); err != nil {
			return err
		}
	}
	for _, no := range r.b.Notifications {
		if err := one(KindNotifications, no.ID, gram.ImportBatch{Notifications: []*gram.Notification{no}}); err != nil {
			return err
		}
	}
	return nil
}

func setCount(c *gram.ImportCounts, kind string, n int) {
	switch kind {
	case KindFollows:
		c.Follows = n
	case KindNotifications:
		c.Notifications = n
	case KindPosts:
		c.Posts = n
	case KindLikes:
		c.Likes = n
	case KindComments:
		c.Comments = n
	case KindStories:
		c.Stories = n
	}
}

// count adds to the tallies the rows inserted and those that were there.
func (im *importer) count(accepted, inserted gram.ImportCounts) {
	for _, k := range []struct {
		kind     string
		acc, ins int
	}{
		{KindFollows, accepted.Follows, inserted.Follows},
		{KindNotifications, accepted.Notifications, inserted.Notifications},
		{KindPosts, accepted.Posts, inserted.Posts},
		{KindLikes, accepted.Likes, inserted.Likes},
		{KindComments, accepted.Comments, inserted.Comments},
		{KindStories, accepted.Stories, inserted.Stories},
	} {
		t := im.tally(k.kind)
		t.Imported += int64(k.ins)
		t.Present += int64(k.acc - k.ins)
	}
}

// writeFollows writes the follow edges either side listed: the original
// updated both lists together, so an edge only one of them has is a
// half-done follow, repaired into a whole one.
func (im *importer) writeFollows(ctx context.Context) error {
	keys := make([][24]byte, 0, len(im.edges))
	for e := range im.edges {
		keys = append(keys, e)
	}
	slices.SortFunc(keys, func(a, b [24]byte) int { return cmp.Compare(string(a[:]), string(b[:])) })
	t := im.tally(KindFollows)
	var r rows
	for _, e := range keys {
		t.Read++
		var from, to bson.ObjectID
		copy(from[:], e[:12])
		copy(to[:], e[12:])
		record := from.Hex() + "->" + to.Hex()
		a, b := im.have[from], im.have[to]
		switch {
		case from == to:
			im.skip(KindFollows, record, "a user following themselves")
			continue
		case a == nil || b == nil:
			im.skip(KindFollows, record, "a user that is not imported (dangling id)")
			continue
		}
		if flags := im.edges[e]; flags != fromFollowings|fromFollowers {
			side := "only the follower's followings list it"
			if flags == fromFollowers {
				side = "only the followee's followers list it"
			}
			im.repaired(KindFollows, record, []string{side + ": made whole"})
		}
		r.b.Follows = append(r.b.Follows, gram.Follow{FollowerID: from.Hex(), FolloweeID: to.Hex(),
			CreatedAt: maxTime(a.created, b.created)})
		r.add(KindFollows)
		if r.size >= im.opt.Batch {
			if err := im.flush(ctx, &r); err != nil {
				return err
			}
		}
	}
	im.edges = nil
	return im.flush(ctx, &r)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (im *importer) writeNotifications(ctx context.Context) error {
	var r rows
	for _, n := range im.notes {
		if im.have[n.recipient] == nil {
			im.skip(KindNotifications, n.id.Hex(), "its recipient is not imported")
			continue
		}
		if im.have[n.actor] == nil {
			im.skip(KindNotifications, n.id.Hex(), "its actor is not imported (dangling id)")
			continue
		}
		r.b.Notifications = append(r.b.Notifications, &gram.Notification{ID: n.id.Hex(), RecipientID: n.recipient.Hex(),
			ActorID: n.actor.Hex(), Kind: n.kind, CreatedAt: created(n.id), Seen: n.seen})
		r.add(KindNotifications)
		if r.size >= im.opt.Batch {
			if err := im.flush(ctx, &r); err != nil {
				return err
			}
		}
	}
	im.notes = nil
	return im.flush(ctx, &r)
}

// eachRecord reads coll's documents as records of kind, fn adding to r
// what each gives (or skipping it), and writes r whenever full says so,
// and at the end.
func (im *importer) eachRecord(ctx context.Context, coll, kind string, full func(r *rows) bool,
	fn func(id bson.ObjectID, doc bson.Raw, r *rows)) error {
	var r rows
	t := im.tally(kind)
	err := im.each(ctx, coll, kind, func(doc bson.Raw) error {
		t.Read++
		id, ok := docID(doc)
		if !ok {
			im.skip(kind, "(no _id)", "no ObjectId _id")
			return nil
		}
		fn(id, doc, &r)
		if full(&r) {
			return im.flush(ctx, &r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return im.flush(ctx, &r)
}

// writePosts writes the posts with their likes.
func (im *importer) writePosts(ctx context.Context) error {
	tl := im.tally(KindLikes)
	full := func(r *rows) bool { return r.size >= im.opt.Batch*10 || len(r.b.Posts) >= im.opt.Batch }
	return im.eachRecord(ctx, CollPosts, KindPosts, full, func(id bson.ObjectID, doc bson.Raw, r *rows) {
		if _, dup := im.posts[id]; dup {
			im.skip(KindPosts, id.Hex(), "a second document with this _id")
			return
		}
		likers, bad := idList(doc, "likes")
		tl.Read += int64(len(likers) + bad)
		for range bad {
			im.skip(KindLikes, id.Hex(), "an entry of likes is not an id")
		}
		author, ok := idOf(doc.Lookup("postedBy"))
		photo, hasPhoto := photoURL(doc, "photo")
		reason := ""
		switch {
		case !ok:
			reason = "no postedBy"
		case im.have[author] == nil:
			reason = "its author is not imported (dangling id)"
		case !hasPhoto:
			reason = "no photo URL"
		}
		if reason != "" {
			im.skip(KindPosts, id.Hex(), reason)
			for range likers {
				im.skip(KindLikes, id.Hex(), "its post is not imported")
			}
			return
		}
		caption, _ := text(doc, "caption")
		at := created(id)
		im.posts[id] = struct{}{}
		r.b.Posts = append(r.b.Posts, &gram.Post{ID: id.Hex(), AuthorID: author.Hex(), Caption: gram.CleanText(caption),
			PhotoKey: photo, CreatedAt: at})
		r.add(KindPosts)
		seen := map[bson.ObjectID]bool{}
		for _, l := range likers {
			record := id.Hex() + "<-" + l.Hex()
			switch {
			case seen[l]:
				im.skip(KindLikes, record, "the same user twice in likes")
			case im.have[l] == nil:
				im.skip(KindLikes, record, "a user that is not imported (dangling id)")
			default:
				seen[l] = true
				r.b.Likes = append(r.b.Likes, gram.Like{PostID: id.Hex(), UserID: l.Hex(), CreatedAt: at})
				r.add(KindLikes)
			}
		}
	})
}

// full reports whether r holds a batch.
func (im *importer) full(r *rows) bool { return r.size >= im.opt.Batch }

// writeComments writes the comments; their ObjectIds keep their order.
func (im *importer) writeComments(ctx context.Context) error {
	return im.eachRecord(ctx, CollComments, KindComments, im.full, func(id bson.ObjectID, doc bson.Raw, r *rows) {
		post, hasPost := idOf(doc.Lookup("commentedPost"))
		author, hasAuthor := idOf(doc.Lookup("commentedBy"))
		var fixes []string
		body, _ := text(doc, "comment")
		body = gram.CleanText(unescape(body, &fixes, "comment"))
		_, postThere := im.posts[post]
		switch {
		case !hasPost || !postThere:
			im.skip(KindComments, id.Hex(), "a comment on a post that is not imported (deleted)")
		case !hasAuthor || im.have[author] == nil:
			im.skip(KindComments, id.Hex(), "its author is not imported (dangling id)")
		case body == "":
			im.skip(KindComments, id.Hex(), "an empty comment")
		default:
			r.b.Comments = append(r.b.Comments, &gram.Comment{ID: id.Hex(), PostID: post.Hex(), AuthorID: author.Hex(),
				Text: body, CreatedAt: created(id)})
			r.add(KindComments)
			im.repaired(KindComments, id.Hex(), fixes)
		}
	})
}

// writeStories writes the stories that have not expired: the original's
// never did, so each gets the lifetime of a story from its ObjectId's
// time, and the older ones are skipped.
func (im *importer) writeStories(ctx context.Context) error {
	return im.eachRecord(ctx, CollStories, KindStories, im.full, func(id bson.ObjectID, doc bson.Raw, r *rows) {
		owner, hasOwner := idOf(doc.Lookup("storiedBy"))
		photo, hasPhoto := photoURL(doc, "photo")
		at := created(id)
		switch {
		case !at.Add(gram.StoryTTL).After(im.started):
			im.skip(KindStories, id.Hex(), "expired")
		case !hasOwner || im.have[owner] == nil:
			im.skip(KindStories, id.Hex(), "its author is not imported (dangling id)")
		case !hasPhoto:
			im.skip(KindStories, id.Hex(), "no photo URL")
		default:
			r.b.Stories = append(r.b.Stories, &gram.Story{ID: id.Hex(), UserID: owner.Hex(), PhotoKey: photo,
				CreatedAt: at, ExpiresAt: at.Add(gram.StoryTTL)})
			r.add(KindStories)
		}
	})
}
