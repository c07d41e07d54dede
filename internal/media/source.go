package media

import (
	"bufio"
	"bytes"
	"io"
)

// source is an upload of known size that can be read more than once: the
// caller's file (any io.ReaderAt that is also an io.Seeker), read where it
// lies, or the bytes of any other reader, read into memory up to the limit.
type source struct {
	data []byte      // the whole upload when it is in memory
	file io.ReaderAt // else the upload, from off
	off  int64
	size int64
}

// headLen is how much of the start of an upload sniff sees: enough for
// any magic number and for an ftyp box's brands.
const headLen = 4096

// openSource measures r, refusing an empty upload or one over limit.
// Only a reader that is not a file is read (at most limit+1 bytes).
func openSource(r io.Reader, limit int64) (*source, error) {
	ra, isRA := r.(io.ReaderAt)
	sk, isSeeker := r.(io.Seeker)
	if !isRA || !isSeeker {
		data, err := readLimited(r, limit)
		if err != nil {
			return nil, err
		}
		return &source{data: data, size: int64(len(data))}, nil
	}
	off, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, errUnreadable()
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, errUnreadable()
	}
	switch size := end - off; {
	case size > limit:
		return nil, errTooManyBytes(limit)
	case size <= 0:
		return nil, errEmpty()
	default:
		return &source{file: ra, off: off, size: size}, nil
	}
}

// head returns up to headLen leading bytes.
func (s *source) head() []byte {
	if s.data != nil {
		return s.data[:min(len(s.data), headLen)]
	}
	b := make([]byte, min(s.size, headLen))
	n, _ := s.file.ReadAt(b, s.off)
	return b[:n]
}

// reader streams the upload from its start, for parsers that stop early
// (headers).
func (s *source) reader() *bufio.Reader {
	if s.data != nil {
		return bufio.NewReader(bytes.NewReader(s.data))
	}
	return bufio.NewReader(io.NewSectionReader(s.file, s.off, s.size))
}

// bytes returns the whole upload in memory, reading a file now.
func (s *source) bytes() ([]byte, error) {
	if s.data != nil {
		return s.data, nil
	}
	b := make([]byte, s.size)
	if n, _ := s.file.ReadAt(b, s.off); n < len(b) {
		return nil, errUnreadable()
	}
	return b, nil
}
