package gram

import "time"

// Page selects one page of a list ordered by (CreatedAt, ID). The cursor is
// the (CreatedAt, ID) of the last item of the previous page; a zero cursor
// means the first page.
type Page struct {
	Limit    int
	CursorAt time.Time
	CursorID string
}

// HasCursor reports whether p continues a previous page.
func (p Page) HasCursor() bool { return p.CursorID != "" }

// nextPage returns the page after items, read with page: its cursor is
// the key of the last item, and it has none when the page was not full
// (nothing follows).
func nextPage[T any](items []T, page Page, key func(T) (time.Time, string)) Page {
	next := Page{Limit: page.Limit}
	if n := len(items); n > 0 && n == page.Limit {
		next.CursorAt, next.CursorID = key(items[n-1])
	}
	return next
}

// clampPage applies the default and maximum page sizes.
func (s *Service) clampPage(p Page, def int) Page {
	if p.Limit <= 0 {
		p.Limit = def
	}
	p.Limit = min(p.Limit, max(s.cfg.MaxLimit, def))
	return p
}
