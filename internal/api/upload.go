package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/instamern/gram/internal/gram"
)

// upload is a parsed multipart upload: one file and small text fields.
type upload struct {
	file   *bytes.Reader // nil when the file field was absent or empty
	fields map[string]string
}

// maxTextField caps each text field of a multipart form.
const maxTextField = 16 << 10

// readUpload streams the multipart body, keeping the one file in field
// fileField (up to the upload limit) and the text fields named in text.
// Anything else, a second file, or a malformed body is a client error.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, fileField string, text ...string) (*upload, error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return nil, gram.Errorf(gram.EUNSUPPORTED, "Please upload the photo as multipart/form-data in the field %q.", fileField)
	}
	limitBody(w, r, s.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, gram.Errorf(gram.EINVALID, "The upload is not a valid multipart form.")
	}
	up := &upload{fields: map[string]string{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			return nil, uploadErr(err, s.cfg.MaxUpload)
		}
		if err := up.take(part.FormName(), part, fileField, text, s.cfg.MaxUpload); err != nil {
			return nil, err
		}
	}
}

func (up *upload) take(name string, part io.Reader, fileField string, text []string, limit int64) error {
	switch {
	case name == fileField:
		if up.file != nil {
			return gram.Errorf(gram.EINVALID, "Please upload only one photo.")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return uploadErr(err, limit)
		}
		if len(data) > 0 {
			up.file = bytes.NewReader(data)
		}
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

func uploadErr(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &gram.Error{Code: gram.ETOOLARGE, Message: fmt.Sprintf("The upload is too large. The maximum is %d MB.", limit>>20)}
	}
	return gram.Errorf(gram.EINVALID, "The upload is not a valid multipart form.")
}
