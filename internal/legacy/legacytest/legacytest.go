// Package legacytest makes InstaMERN data for tests and benchmarks: the
// documents of the original's collections in its Mongoose shapes, with the
// quirks old databases have, written as a mongodump directory or into a
// MongoDB-protocol server.
package legacytest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Data is the documents of the original's collections.
type Data struct {
	Users, Posts, Comments, Stories []bson.D
}

// collections pairs each collection's name with its documents.
func (d *Data) collections() []struct {
	name string
	docs []bson.D
} {
	return []struct {
		name string
		docs []bson.D
	}{{"users", d.Users}, {"posts", d.Posts}, {"comments", d.Comments}, {"stories", d.Stories}}
}

// WriteDump writes d as mongodump does: one COLLECTION.bson per
// collection in dir, the documents one after another.
func (d *Data) WriteDump(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range d.collections() {
		w, err := NewDumpWriter(filepath.Join(dir, c.name+".bson"))
		if err != nil {
			return err
		}
		for _, doc := range c.docs {
			if err := w.Write(doc); err != nil {
				_ = w.Close()
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}

// DumpWriter writes one collection's .bson file.
type DumpWriter struct {
	f *os.File
	w *bufio.Writer
}

// NewDumpWriter creates the file at path.
func NewDumpWriter(path string) (*DumpWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &DumpWriter{f, bufio.NewWriterSize(f, 1<<20)}, nil
}

// Write appends one document.
func (w *DumpWriter) Write(doc any) error {
	b, err := bson.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.w.Write(b)
	return err
}

// Close flushes and closes the file.
func (w *DumpWriter) Close() error {
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Seed inserts d into db, dropping its collections first.
func (d *Data) Seed(ctx context.Context, db *mongo.Database) error {
	for _, c := range d.collections() {
		coll := db.Collection(c.name)
		if err := coll.Drop(ctx); err != nil {
			return fmt.Errorf("drop %s: %w", c.name, err)
		}
		if len(c.docs) == 0 {
			continue
		}
		docs := make([]any, len(c.docs))
		for i, doc := range c.docs {
			docs[i] = doc
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			return fmt.Errorf("insert %s: %w", c.name, err)
		}
	}
	return nil
}

// ID returns an ObjectId of time t whose other bytes are n, so that ids
// of the same second sort by n, as the original's counter made them.
func ID(t time.Time, n uint32) bson.ObjectID {
	id := bson.NewObjectIDFromTimestamp(t)
	for i := 4; i < 12; i++ {
		id[i] = 0
	}
	id[8], id[9], id[10], id[11] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return id
}

// BucketURL is the original's S3 bucket; its object URLs are
// virtual-hosted style with ":" escaped as %3A in the timestamped keys.
const BucketURL = "https://instamern-new.s3.amazonaws.com/"

// PhotoURL returns the URL the original stored for an upload of kind
// ("posts" or "stories") by username at t.
func PhotoURL(kind, username string, t time.Time) string {
	ts := t.UTC().Format("2006-01-02T15:04:05.000Z")
	escaped := ""
	for _, r := range ts {
		if r == ':' {
			escaped += "%3A"
		} else {
			escaped += string(r)
		}
	}
	return BucketURL + kind + "/" + username + "/" + escaped + ".jpg"
}

// SeedMongo writes d into a database of its own on the MongoDB-protocol
// server at base (a mongodb:// URL without a database), dropped when the
// test ends, and returns the database's URL.
func SeedMongo(tb testing.TB, base string, d *Data) string {
	tb.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(base))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "legacy_" + hex.EncodeToString(b)
	db := client.Database(name)
	tb.Cleanup(func() { _ = db.Drop(context.Background()) })
	if err := d.Seed(tb.Context(), db); err != nil {
		tb.Fatalf("seed %s: %v", base, err)
	}
	return strings.TrimSuffix(base, "/") + "/" + name
}
