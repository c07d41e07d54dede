package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// pageParams reads ?limit= and ?before= (a cursor from a previous page's
// "next").
func pageParams(r *http.Request) (gram.Page, error) {
	var p gram.Page
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, gram.Errorf(gram.EINVALID, "The limit must be a positive whole number.")
		}
		p.Limit = n
	}
	if v := q.Get("before"); v != "" {
		at, id, ok := parseCursor(v)
		if !ok {
			return p, gram.Errorf(gram.EINVALID, "The cursor is not valid.")
		}
		p.CursorAt, p.CursorID = at, id
	}
	return p, nil
}

// cursor encodes a position as "<unix ms>_<id>".
func cursor(at time.Time, id string) string { return strconv.FormatInt(at.UnixMilli(), 10) + "_" + id }

// parseCursor decodes a cursor; it reports false for anything cursor did
// not make.
func parseCursor(s string) (time.Time, string, bool) {
	msPart, id, found := strings.Cut(s, "_")
	v, err := strconv.ParseInt(msPart, 10, 64)
	if !found || err != nil || v < 0 || !gram.ValidID(id) {
		return time.Time{}, "", false
	}
	return time.UnixMilli(v).UTC(), id, true
}

// nextCursor is the "next" of a page, "" when nothing follows.
func nextCursor(p gram.Page) string {
	if !p.HasCursor() {
		return ""
	}
	return cursor(p.CursorAt, p.CursorID)
}
