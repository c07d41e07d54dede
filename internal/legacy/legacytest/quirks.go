package legacytest

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Legacy passwords and their cost-12 bcrypt hashes, as the original
// stored them ($2b$, from the Node bcrypt library). Bob's password has a
// "<", which the original's xss-clean turned into "&lt;" before hashing.
const (
	AlicePassword = "alice-old-pass1"
	BobPassword   = "my<pass>word9"
	aliceHash     = "$2b$12$brHt4wDRiaK3CUh31RIOe.qHkT4tedrvkNXwM997ieIygafuRxiIK"
	bobHash       = "$2b$12$demXmkiKmNQVDN9Vm.I7Zu3f7gWEaDso7fyWAKk5spLnDrWd2NFCK" // of "my&lt;pass>word9"
	carolHash     = "$2b$12$.xHj3LNfyfNVCV2d41ULcev379LxdhxEdV01YT35wn0xEHubdkR8i"
)

// Quirky is a small InstaMERN database with the quirks of a real one, and
// what an import must make of it.
type Quirky struct {
	Data
	// Users that are imported.
	Alice, Bob, Carol, Dave, Gina bson.ObjectID
	// Users that are skipped: an invalid email, an email that differs
	// from Alice's only by case.
	Erin, Frank bson.ObjectID
	// Ghost is an id that names no user (dangling in lists).
	Ghost bson.ObjectID
	// P1 (Alice's, three likes after repair, three comments in order) and
	// P2 (Bob's) are imported; P3 (Ghost's) and P4 (no photo) are not.
	P1, P2, P3, P4 bson.ObjectID
	// Comments on P1, in order.
	C1, C2, C3 bson.ObjectID
	// Notifications of Alice: a follow by Bob, a like by Carol, a
	// comment by Bob (no longer new), and one by Ghost (skipped).
	N1, N2, N3, N4 bson.ObjectID
	// S1 (Alice's, an hour old) is imported; S2 (three days old) expired.
	S1, S2 bson.ObjectID
	// PostedAt is the original's postedAt of every post (its bug: the
	// server's start time).
	PostedAt time.Time
	// AlicePhoto is Alice's avatar URL.
	AlicePhoto, P1Photo string
}

// e is one field of a document.
func e(key string, v any) bson.E { return bson.E{Key: key, Value: v} }

// NewQuirky returns the quirky database as of now.
func NewQuirky(now time.Time) *Quirky {
	now = now.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	q := &Quirky{}
	base := now.Add(-30 * day)
	q.Alice, q.Bob, q.Carol = ID(base, 1), ID(base.Add(day), 2), ID(base.Add(2*day), 3)
	q.Dave, q.Erin, q.Frank, q.Gina = ID(base.Add(3*day), 4), ID(base.Add(4*day), 5), ID(base.Add(5*day), 6), ID(base.Add(6*day), 7)
	q.Ghost = ID(base.Add(-day), 99)
	q.PostedAt = base.Add(-100 * day)
	pt := base.Add(10 * day)
	q.P1, q.P2, q.P3, q.P4 = ID(pt, 10), ID(pt.Add(time.Hour), 11), ID(pt.Add(2*time.Hour), 12), ID(pt.Add(3*time.Hour), 13)
	ct := pt.Add(5 * time.Hour)
	// Two comments in the same second: their counters order them.
	q.C1, q.C2, q.C3 = ID(ct, 20), ID(ct, 21), ID(ct.Add(time.Minute), 22)
	nt := pt.Add(6 * time.Hour)
	q.N1, q.N2, q.N3, q.N4 = ID(nt, 30), ID(nt.Add(time.Minute), 31), ID(nt.Add(2*time.Minute), 32), ID(nt.Add(3*time.Minute), 33)
	q.S1, q.S2 = ID(now.Add(-time.Hour), 40), ID(now.Add(-3*day), 41)
	q.AlicePhoto = BucketURL + "users/Alice.png"
	q.P1Photo = PhotoURL("posts", "Alice", pt)

	notif := func(id, by, to bson.ObjectID, text string, isNew bool) bson.D {
		return bson.D{e("_id", id), e("notifiedBy", by), e("notifiedTo", to), e("notification", text), e("new", isNew)}
	}
	ids := func(v ...bson.ObjectID) bson.A {
		a := bson.A{}
		for _, id := range v {
			a = append(a, id)
		}
		return a
	}
	user := func(id bson.ObjectID, first, last, username, email, hash string, rest ...bson.E) bson.D {
		d := bson.D{e("_id", id), e("firstname", first), e("lastname", last), e("username", username), e("email", email),
			e("password", hash)}
		return append(d, rest...)
	}
	q.Users = []bson.D{
		user(q.Alice, "Alice", "Liddell", "Alice", "Alice@Example.com", aliceHash,
			e("photo", q.AlicePhoto), e("bio", "I &lt;3 rabbits"), e("active", true),
			e("followers", ids(q.Bob)), e("followings", ids(q.Bob, q.Carol)),
			e("notifications", bson.A{
				notif(q.N1, q.Bob, q.Alice, "followed you.", true),
				notif(q.N2, q.Carol, q.Alice, "liked your photo.", true),
				notif(q.N3, q.Bob, q.Alice, "commented your photo.", false),
				notif(q.N4, q.Ghost, q.Alice, "liked your photo.", true),
			})),
		// Bob follows Ghost, who is gone.
		user(q.Bob, "Bob", "Builder", "bob", "bob@example.com", bobHash, e("bio", ""), e("active", true),
			e("followers", ids(q.Alice, q.Carol)), e("followings", ids(q.Alice, q.Ghost)),
			e("notifications", bson.A{})),
		// Carol is listed as Bob's follower, but her followings miss him
		// (a half-done follow); Alice's followings list her.
		user(q.Carol, "Carol", "Danvers", "carol", "carol@example.com", carolHash, e("bio", "hi"),
			e("followers", ids(q.Alice)), e("followings", bson.A{}), e("notifications", bson.A{})),
		// Dave's username differs from Alice's only by case.
		user(q.Dave, "Dave", "Grohl", "ALICE", "dave@example.com", carolHash, e("bio", "")),
		user(q.Erin, "Erin", "Brockovich", "erin", "not-an-email", carolHash),
		user(q.Frank, "Frank", "Ocean", "frank", "ALICE@example.com", carolHash),
		// Gina has no firstname, no password and no lists at all.
		{e("_id", q.Gina), e("lastname", "Gina"), e("username", "gina"), e("email", "gina@example.com")},
	}
	post := func(id, by bson.ObjectID, caption, photo string, likes bson.A) bson.D {
		d := bson.D{e("_id", id), e("caption", caption)}
		if photo != "" {
			d = append(d, e("photo", photo))
		}
		return append(d, e("postedBy", by), e("likes", likes), e("postedAt", q.PostedAt))
	}
	q.Posts = []bson.D{
		// Likes by Bob twice, by Ghost, and by Carol as a string id.
		post(q.P1, q.Alice, "Down the <rabbit> hole", q.P1Photo, bson.A{q.Bob, q.Bob, q.Ghost, q.Carol.Hex()}),
		post(q.P2, q.Bob, "", PhotoURL("posts", "bob", pt.Add(time.Hour)), ids(q.Alice)),
		post(q.P3, q.Ghost, "orphan", PhotoURL("posts", "ghost", pt), ids(q.Alice)),
		post(q.P4, q.Carol, "no photo", "", bson.A{}),
	}
	comment := func(id, by, on bson.ObjectID, text string) bson.D {
		return bson.D{e("_id", id), e("comment", text), e("commentedBy", by), e("commentedPost", on)}
	}
	q.Comments = []bson.D{
		comment(q.C1, q.Bob, q.P1, "first!"),
		comment(q.C2, q.Carol, q.P1, "1 &lt; 2"),
		comment(q.C3, q.Bob, q.P1, "third"),
		comment(ID(ct, 23), q.Bob, q.P3, "on a deleted post"),
		comment(ID(ct, 24), q.Bob, q.P1, ""),
	}
	q.Stories = []bson.D{
		{e("_id", q.S1), e("photo", PhotoURL("stories", "Alice", now.Add(-time.Hour))), e("storiedBy", q.Alice)},
		{e("_id", q.S2), e("photo", PhotoURL("stories", "bob", now.Add(-3*day))), e("storiedBy", q.Bob)},
	}
	return q
}
