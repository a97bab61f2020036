package web

import (
	"github.com/keyward/keyward/internal/web/look"
	"net/http"

	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

const deviceTitle = "Authorize request"

type deviceData struct {
	Request  *ssooidc.DeviceRequest
	Typed    string
	Approved bool
	Denied   bool
}

// device asks for a user code (or takes it from the link the CLI opened) and
// shows which client is asking, with Allow and Deny.
func (p *Pages) device(w http.ResponseWriter, r *http.Request, s session) error {
	typed := r.URL.Query().Get("user_code")
	if typed == "" {
		p.render(w, r, http.StatusOK, "device.html", view{Title: deviceTitle, User: &s.User, Data: deviceData{}})
		return nil
	}
	req, err := p.Devices.Pending(auditCtx(r, s.User), typed, s.User.ID, httpx.ClientIP(r))
	if err != nil {
		return p.codeRefused(w, r, s, typed, err)
	}
	p.render(w, r, http.StatusOK, "device.html", view{Title: deviceTitle, User: &s.User, Data: deviceData{Request: &req}})
	return nil
}

// decide records Allow or Deny for a code.
func (p *Pages) decide(w http.ResponseWriter, r *http.Request, s session) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return errUnreadableForm
	}
	code, action := r.PostForm.Get("user_code"), r.PostForm.Get("action")
	if action != "allow" && action != "deny" {
		return errs.E(errs.Invalid, "Choose Allow or Deny.")
	}
	if err := p.Devices.Decide(auditCtx(r, s.User), code, s.User.ID, s.Portal.IDHash, action == "allow"); err != nil {
		return p.codeRefused(w, r, s, code, err)
	}
	p.render(w, r, http.StatusOK, "device.html", view{Title: deviceTitle, User: &s.User,
		Data: deviceData{Approved: action == "allow", Denied: action == "deny"}})
	return nil
}

// codeRefused shows a refused code on the code form, kept for retyping, with
// the reason. Any other error is returned for the error page.
func (p *Pages) codeRefused(w http.ResponseWriter, r *http.Request, s session, typed string, err error) error {
	if !look.IsRefusal(err) {
		return err
	}
	p.render(w, r, look.StatusFor(err), "device.html", view{Title: deviceTitle, User: &s.User, Error: look.Message(err), Data: deviceData{Typed: typed}})
	return nil
}
