package api

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestEncode: the body goes out whole with its Content-Length; a value
// that cannot be encoded is a clean 500 error envelope, not half a body.
func TestEncode(t *testing.T) {
	for _, tt := range []struct {
		name       string
		status     int
		v          any
		wantStatus int
		wantKey    string
	}{
		{"ok", http.StatusCreated, envelope{Status: "success", Message: "hi"}, http.StatusCreated, "message"},
		{"big", http.StatusOK, map[string]string{"data": string(make([]byte, 300<<10))}, http.StatusOK, "data"},
		{"unencodable", http.StatusOK, map[string]float64{"x": math.Inf(1)}, http.StatusInternalServerError, "status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			encode(rec, tt.status, tt.v)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d; want %d", rec.Code, tt.wantStatus)
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("Content-Length %q for a %d-byte body", cl, rec.Body.Len())
			}
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m[tt.wantKey] == nil {
				t.Errorf("body %.80q: %v; want a JSON object with %q", rec.Body.String(), err, tt.wantKey)
			}
		})
	}
}
