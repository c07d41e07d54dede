package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"

	"github.com/instamern/gram/internal/gram"
)

// upload is a parsed multipart upload: one file, spooled to a temp file,
// and small text fields. Close removes the file and frees the upload's
// slots.
type upload struct {
	file    *os.File // rewound; nil when the file field was absent or empty
	fields  map[string]string
	release func()
}

// maxTextField caps each text field of a multipart form.
const maxTextField = 16 << 10

// readUpload takes a slot for the user's upload (UploadLimits), then
// streams the multipart body, spooling the one file in field fileField (up
// to the upload limit) to a temp file and keeping the text fields named in
// text. Anything else, a second file, or a malformed body is a client
// error. The caller must Close the upload, which it gets only without an
// error.
//
// The file goes to disk rather than memory so that an upload waiting for
// the image pipeline costs a file, not up to MaxUpload of memory.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, fileField string, text ...string) (*upload, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil, gram.Errorf(gram.EUNSUPPORTED, "Please upload the photo as multipart/form-data in the field %q.", fileField)
	}
	limitBody(w, r, s.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, gram.Errorf(gram.EINVALID, "The upload is not a valid multipart form.")
	}
	release, err := s.uploads.acquire(r.Context(), currentUser(r.Context()).ID)
	if gram.ErrorCode(err) == gram.ERATELIMIT {
		s.cfg.Observer.Limited("uploads")
	}
	if err != nil {
		return nil, err
	}
	up := &upload{fields: map[string]string{}, release: release}
	if err := s.readParts(mr, up, fileField, text); err != nil {
		up.Close()
		return nil, err
	}
	return up, nil
}

// Close removes the spooled file and frees the upload's slots.
func (up *upload) Close() {
	if up.file != nil {
		removeFile(up.file)
	}
	up.release()
}

func (s *Server) readParts(mr *multipart.Reader, up *upload, fileField string, text []string) error {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return uploadErr(err, s.cfg.MaxUpload)
		}
		if err := s.take(up, part.FormName(), part, fileField, text); err != nil {
			return err
		}
	}
}

func (s *Server) take(up *upload, name string, part io.Reader, fileField string, text []string) error {
	limit := s.cfg.MaxUpload
	switch {
	case name == fileField:
		if up.file != nil {
			return gram.Errorf(gram.EINVALID, "Please upload only one photo.")
		}
		f, err := spool(s.cfg.Uploads.TempDir, part, limit)
		up.file = f
		return err
	case slices.Contains(text, name):
		if _, dup := up.fields[name]; dup {
			// As with duplicate JSON keys: which copy wins must not
			// depend on who reads the form.
			return gram.Errorf(gram.EINVALID, "The field %q appears more than once.", name)
		}
		data, err := io.ReadAll(io.LimitReader(part, maxTextField+1))
		if err != nil {
			return uploadErr(err, limit)
		}
		if len(data) > maxTextField {
			return gram.Errorf(gram.ETOOLARGE, "The field %q is too long.", name)
		}
		up.fields[name] = string(data)
	default:
		return gram.Errorf(gram.EINVALID, "Unexpected field %q. Please upload the photo in the field %q.", name, fileField)
	}
	return nil
}

// spool copies part to a new temp file in dir and rewinds it. An empty
// part gives no file. A failure of the body is the client's (uploadErr),
// one of the disk the server's.
func spool(dir string, part io.Reader, limit int64) (*os.File, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("api: spool upload: %w", err)
	}
	n, err := io.Copy(spoolWriter{f}, part)
	var se *spoolError
	switch {
	case errors.As(err, &se):
		err = fmt.Errorf("api: spool upload: %w", se.err)
	case err != nil:
		err = uploadErr(err, limit)
	case n > 0:
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			return f, nil
		}
		err = fmt.Errorf("api: spool upload: %w", err)
	}
	removeFile(f)
	return nil, err
}

// spoolWriter tells the temp file's errors apart from the body's.
type spoolWriter struct{ f *os.File }

type spoolError struct{ err error }

func (e *spoolError) Error() string { return e.err.Error() }

func (w spoolWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, &spoolError{err}
	}
	return n, nil
}

func removeFile(f *os.File) {
	_ = f.Close()
	_ = os.Remove(f.Name())
}

func uploadErr(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &gram.Error{Code: gram.ETOOLARGE, Message: fmt.Sprintf("The upload is too large. The maximum is %d MB.", limit>>20)}
	}
	return gram.Errorf(gram.EINVALID, "The upload is not a valid multipart form.")
}
