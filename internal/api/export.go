package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

// Account export: POST asks for an archive, GET tells its state and,
// once it is ready, a download link that expires; the link's token is
// signed like a session token but for another audience, so that neither
// passes for the other. The archive is streamed from the blob store
// through the API, so no bucket needs to be public.

// exportAudience is the audience of a download token.
const exportAudience = "gram-export"

// exportLinkTTL bounds the life of a download link (and the archive's
// expiry bounds it further): a new GET gives a fresh one.
const exportLinkTTL = time.Hour

type exportClaims struct {
	ExportID string `json:"eid"`
	jwt.RegisteredClaims
}

// signExport returns the token of a download link of export x, valid
// until exp.
func (t *tokens) signExport(x *gram.Export, exp time.Time) (string, error) {
	c := exportClaims{ExportID: x.ID, RegisteredClaims: jwt.RegisteredClaims{Subject: x.UserID,
		Audience: jwt.ClaimStrings{exportAudience}, ExpiresAt: jwt.NewNumericDate(exp)}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.keys[0])
}

// verifyExport checks a download token and returns its user and export.
func (t *tokens) verifyExport(raw string) (userID, exportID string, err error) {
	for _, key := range t.keys {
		var c exportClaims
		_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return key, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithAudience(exportAudience))
		if err == nil && gram.ValidID(c.Subject) && gram.ValidID(c.ExportID) {
			return c.Subject, c.ExportID, nil
		}
		if errors.Is(err, jwt.ErrTokenExpired) {
			break
		}
	}
	return "", "", errExportLink
}

var errExportLink = gram.Errorf(gram.ENOTFOUND, "This download link is not valid or has expired. Ask for a new one.")

// exportView is an export as its owner sees it.
type exportView struct {
	ID          string `json:"_id"`
	State       string `json:"state"`
	CreatedAt   string `json:"createdAt"`
	ReadyAt     string `json:"readyAt,omitempty"`
	ExpiresAt   string `json:"expiresAt,omitempty"`
	Size        int64  `json:"size,omitempty"`
	DownloadURL string `json:"downloadUrl,omitempty"`
	LinkExpires string `json:"linkExpiresAt,omitempty"`
}

func (s *Server) exportView(x *gram.Export) (exportView, error) {
	v := exportView{ID: x.ID, State: x.State, CreatedAt: isoTime(x.CreatedAt)}
	if x.State != gram.ExportReady {
		return v, nil
	}
	v.ReadyAt, v.ExpiresAt, v.Size = isoTime(x.ReadyAt), isoTime(x.ExpiresAt), x.Size
	exp := time.Now().Add(exportLinkTTL)
	if x.ExpiresAt.Before(exp) {
		exp = x.ExpiresAt
	}
	tok, err := s.tokens.signExport(x, exp)
	if err != nil {
		return v, err
	}
	v.DownloadURL = strings.TrimSuffix(s.svc.Config().PublicURL, "/") + "/instamern/users/export/download/" + tok
	v.LinkExpires = isoTime(exp)
	return v, nil
}

// handleRequestExport asks for an export, at most ExportLimit per user
// (one a day by default), counted only when one is accepted.
func (s *Server) handleRequestExport(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	rule, key := s.cfg.ExportLimit, "export:user:"+u.ID
	if rule.Limit > 0 {
		d, err := ratelimit.Decide(r.Context(), s.limiter, rule, key)
		if err != nil {
			s.warnLimiter(r, err)
		} else if err := s.limitError(w, "export", d, "You can ask for an export once a day. Please try again in %d seconds."); err != nil {
			return err
		}
	}
	x, err := s.svc.RequestExport(r.Context(), u)
	if err != nil {
		if rule.Limit > 0 {
			s.warnLimiter(r, s.limiter.Undo(r.Context(), key, rule))
		}
		return err
	}
	v, err := s.exportView(x)
	if err != nil {
		return err
	}
	return ok(w, http.StatusAccepted, envelope{Message: "Your export is being prepared. It is usually ready within minutes.",
		Data: map[string]any{"export": v}})
}

// handleExportStatus tells the state of the user's latest export, with a
// fresh download link once it is ready.
func (s *Server) handleExportStatus(w http.ResponseWriter, r *http.Request) error {
	x, err := s.svc.LatestExport(r.Context(), currentUser(r.Context()))
	if err != nil {
		return err
	}
	v, err := s.exportView(x)
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"export": v}})
}

// handleExportDownload streams the archive a download link names. The
// link is the credential: it works without a login (a browser follows
// it), for as long as it and the archive last.
func (s *Server) handleExportDownload(w http.ResponseWriter, r *http.Request) error {
	userID, exportID, err := s.tokens.verifyExport(r.PathValue("token"))
	if err != nil {
		return err
	}
	body, x, err := s.svc.OpenExport(r.Context(), userID, exportID)
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Length", strconv.FormatInt(x.Size, 10))
	h.Set("Content-Disposition", `attachment; filename="instamern-export-`+x.ReadyAt.UTC().Format("2006-01-02")+`.zip"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, body) // the status is sent: a failure can only cut the body short
	return nil
}
