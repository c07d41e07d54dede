package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Mem is an in-memory gram.BlobStore for tests. It is safe for concurrent
// use. Its URLs point at PublicBase + "/media/" + key, which a test can
// serve with Handler.
type Mem struct {
	PublicBase string // e.g. an httptest.Server URL; default "http://localhost"

	mu   sync.Mutex
	objs map[string]memObject
}

type memObject struct {
	data []byte
	info gram.BlobInfo
}

var _ gram.BlobStore = (*Mem)(nil)

// NewMem returns an empty Mem whose URLs start with publicBase.
func NewMem(publicBase string) *Mem {
	return &Mem{PublicBase: publicBase, objs: map[string]memObject{}}
}

func (m *Mem) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	data, err := io.ReadAll(ctxReader{ctx, r})
	if err != nil {
		return err
	}
	if size >= 0 && int64(len(data)) != size {
		return fmt.Errorf("blob: put %q: read %d bytes, want %d", key, len(data), size)
	}
	info := gram.BlobInfo{Key: key, Size: int64(len(data)), ContentType: contentType, LastModified: time.Now()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.objs == nil {
		m.objs = map[string]memObject{}
	}
	m.objs[key] = memObject{data: data, info: info}
	return nil
}

func (m *Mem) Get(ctx context.Context, key string) (io.ReadCloser, gram.BlobInfo, error) {
	o, err := m.lookup(key)
	if err != nil {
		return nil, gram.BlobInfo{}, err
	}
	// A *bytes.Reader is also an io.ReadSeeker, like Disk's *os.File.
	return readSeekNopCloser{bytes.NewReader(o.data)}, o.info, nil
}

func (m *Mem) Head(ctx context.Context, key string) (gram.BlobInfo, error) {
	o, err := m.lookup(key)
	return o.info, err
}

func (m *Mem) lookup(key string) (memObject, error) {
	if err := checkKey(key); err != nil {
		return memObject{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objs[key]
	if !ok {
		return memObject{}, fmt.Errorf("blob %q: %w", key, gram.ErrNotFound)
	}
	return o, nil
}

func (m *Mem) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objs, key)
	return nil
}

func (m *Mem) DeletePrefix(ctx context.Context, prefix string) error {
	if err := checkDeletePrefix(prefix); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) {
			delete(m.objs, k)
		}
	}
	return nil
}

func (m *Mem) List(ctx context.Context, prefix string) ([]gram.BlobInfo, error) {
	if err := checkListPrefix(prefix); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []gram.BlobInfo
	for k, o := range m.objs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, o.info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (m *Mem) URL(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	base := m.PublicBase
	if base == "" {
		base = "http://localhost"
	}
	return mediaURL(base, key), nil
}

// readSeekNopCloser adds a no-op Close to an io.ReadSeeker.
type readSeekNopCloser struct{ io.ReadSeeker }

func (readSeekNopCloser) Close() error { return nil }

// ctxReader stops a copy once ctx is done, so a cancelled upload does not
// keep writing.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
