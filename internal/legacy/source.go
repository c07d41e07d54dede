// Package legacy imports the data of an InstaMERN deployment: its MongoDB
// collections (users with their embedded notifications and follow lists,
// posts with their likes, comments, stories) in the original Mongoose
// shapes, read from a live database or from a mongodump directory, into
// a gram store, keeping every ObjectId as the id.
package legacy

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The original's collections.
const (
	CollUsers    = "users"
	CollPosts    = "posts"
	CollComments = "comments"
	CollStories  = "stories"
)

// Source is where the original's documents are read from.
type Source interface {
	// Count returns how many documents coll holds (an estimate on a live
	// database); 0 for a collection that is not there.
	Count(ctx context.Context, coll string) (int64, error)
	// Each calls fn with every document of coll in the source's natural
	// order; a collection that is not there has none. A document that
	// cannot be read is passed as a nil document and its error: fn decides
	// whether to go on. An error of fn stops Each and is returned.
	Each(ctx context.Context, coll string, fn func(doc bson.Raw, bad error) error) error
	// Close releases the source.
	Close(ctx context.Context) error
}

// maxDocument bounds one BSON document of a dump: MongoDB's limit of
// 16 MiB, and a little more for the length prefix's slack.
const maxDocument = 16<<20 + 16<<10

// Dump reads a mongodump output directory: the folder of one database,
// with a COLLECTION.bson (or .bson.gz, from mongodump --gzip) per
// collection, or the folder above it that holds only that database's.
type Dump struct{ dir string }

// OpenDump opens the dump at dir.
func OpenDump(dir string) (*Dump, error) {
	if hasCollection(dir, CollUsers) {
		return &Dump{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dump: %w", err)
	}
	var found []string
	for _, e := range entries {
		if e.IsDir() && hasCollection(filepath.Join(dir, e.Name()), CollUsers) {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 1:
		return &Dump{filepath.Join(dir, found[0])}, nil
	case 0:
		return nil, fmt.Errorf("dump: no %s.bson in %s or in a database folder of it", CollUsers, dir)
	}
	return nil, fmt.Errorf("dump: %s holds several databases (%s): name the folder of one", dir, strings.Join(found, ", "))
}

func hasCollection(dir, coll string) bool {
	_, err := collectionFile(dir, coll)
	return err == nil
}

// collectionFile returns the path of coll's file in dir.
func collectionFile(dir, coll string) (string, error) {
	for _, name := range []string{coll + ".bson", coll + ".bson.gz"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}

// open opens coll's file as a stream of documents; nil when the dump has
// no such collection.
func (d *Dump) open(coll string) (io.ReadCloser, error) {
	p, err := collectionFile(d.dir, coll)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	f, err := os.Open(p)
	if err != nil || !strings.HasSuffix(p, ".gz") {
		return f, err
	}
	z, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("dump: %s: %w", p, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{z, f}, nil
}

// Count counts the documents by their length prefixes.
func (d *Dump) Count(ctx context.Context, coll string) (int64, error) {
	var n int64
	err := d.scan(ctx, coll, false, func(bson.Raw, error) error { n++; return nil })
	return n, err
}

// Each reads the documents one by one. A document that is not valid BSON
// is passed as bad; a file cut short ends with one bad document.
func (d *Dump) Each(ctx context.Context, coll string, fn func(bson.Raw, error) error) error {
	return d.scan(ctx, coll, true, fn)
}

func (d *Dump) scan(ctx context.Context, coll string, read bool, fn func(bson.Raw, error) error) error {
	rc, err := d.open(coll)
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	r := bufio.NewReaderSize(rc, 1<<20)
	var head [4]byte
	for i := 0; ; i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := io.ReadFull(r, head[:]); err == io.EOF {
			return nil
		} else if err != nil {
			return fn(nil, fmt.Errorf("%s.bson is cut short: %w", coll, err))
		}
		n := int(binary.LittleEndian.Uint32(head[:]))
		if n < 5 || n > maxDocument {
			return fn(nil, fmt.Errorf("%s.bson: a document of %d bytes: the rest of the file is unreadable", coll, n))
		}
		if !read {
			if _, err := r.Discard(n - 4); err != nil {
				return fn(nil, fmt.Errorf("%s.bson is cut short: %w", coll, err))
			}
			if err := fn(nil, nil); err != nil {
				return err
			}
			continue
		}
		doc := make([]byte, n)
		copy(doc, head[:])
		if _, err := io.ReadFull(r, doc[4:]); err != nil {
			return fn(nil, fmt.Errorf("%s.bson is cut short: %w", coll, err))
		}
		raw := bson.Raw(doc)
		var err error
		if bad := raw.Validate(); bad != nil {
			err = fn(nil, fmt.Errorf("not a valid BSON document: %w", bad))
		} else {
			err = fn(raw, nil)
		}
		if err != nil {
			return err
		}
	}
}

// Close implements Source.
func (d *Dump) Close(context.Context) error { return nil }

// Mongo reads a live MongoDB database (or anything that speaks its wire
// protocol) with the official driver.
type Mongo struct {
	client *mongo.Client
	db     *mongo.Database
}

// OpenMongo connects to the database a mongodb:// URL names in its path.
func OpenMongo(ctx context.Context, uri string) (*Mongo, error) {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
		return nil, errors.New("mongodb: the source must be a mongodb:// or mongodb+srv:// URL")
	}
	name := strings.Trim(u.Path, "/")
	if name == "" {
		return nil, errors.New("mongodb: the URL names no database: mongodb://HOST/DATABASE")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("mongodb: %w", err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		_ = client.Disconnect(ctx)
		return nil, fmt.Errorf("mongodb: %w", err)
	}
	return &Mongo{client: client, db: client.Database(name)}, nil
}

// Count implements Source with the collection's estimated count.
func (m *Mongo) Count(ctx context.Context, coll string) (int64, error) {
	return m.db.Collection(coll).EstimatedDocumentCount(ctx)
}

// Each implements Source with one cursor over the collection.
func (m *Mongo) Each(ctx context.Context, coll string, fn func(bson.Raw, error) error) error {
	cur, err := m.db.Collection(coll).Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("mongodb: read %s: %w", coll, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if err := fn(cur.Current, nil); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mongodb: read %s: %w", coll, err)
	}
	return nil
}

// Close implements Source.
func (m *Mongo) Close(ctx context.Context) error { return m.client.Disconnect(ctx) }
