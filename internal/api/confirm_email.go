package api

import (
	"html/template"
	"mime"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// The email-change confirmation link of the mail points here, at the API,
// because the unchanged React client has no route for it. GET only shows
// a page with a button that POSTs to the same URL: mail scanners that
// fetch every link must not confirm a change on the user's behalf. POST
// confirms; a browser's form post gets a page back, anything else JSON.

// confirmPage is the one page the API serves to a browser.
var confirmPage = template.Must(template.New("confirm").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.4rem">{{.Title}}</h1><p>{{.Message}}</p>
{{if .Form}}<form method="post"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">Confirm my new email address</button></form>
{{else}}<p><a href="{{.ClientURL}}">Open InstaMERN</a></p>{{end}}
</body></html>
`))

type confirmView struct {
	Title, Message, ClientURL string
	Form                      bool
}

func (s *Server) handleConfirmEmailPage(w http.ResponseWriter, r *http.Request) error {
	s.writePage(w, http.StatusOK, confirmView{Title: "Confirm your new email address", Form: true,
		Message: "Press the button to make this address the email address of your account."})
	return nil
}

func (s *Server) handleConfirmEmail(w http.ResponseWriter, r *http.Request) error {
	limitBody(w, r, s.cfg.MaxBodyBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	browser := mt == "application/x-www-form-urlencoded"
	u, err := s.svc.ConfirmEmail(r.Context(), r.PathValue("token"))
	if err != nil {
		if browser && gram.ErrorCode(err) != gram.EINTERNAL {
			status, _ := classify(err)
			s.writePage(w, status, confirmView{Title: "Your email address was not changed", Message: gram.ErrorMessage(err)})
			return nil
		}
		return err
	}
	msg := "Your email address has been changed to " + u.Email + "."
	if browser {
		s.writePage(w, http.StatusOK, confirmView{Title: "Your email address has been changed", Message: msg})
		return nil
	}
	return ok(w, http.StatusOK, envelope{Message: msg})
}

// writePage renders the confirmation page. The page may post its form to
// itself, which the API-wide policy ("form-action 'none'") forbids.
func (s *Server) writePage(w http.ResponseWriter, status int, v confirmView) {
	v.ClientURL = s.svc.Config().ClientURL + "/"
	w.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = confirmPage.Execute(w, v)
}
