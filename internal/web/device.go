package web

import (
	"net/http"

	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/httpx"
)

type deviceData struct {
	Request  *ssooidc.DeviceRequest
	Typed    string
	Approved bool
	Denied   bool
}

// device asks for a user code (or takes it from the link the CLI opened) and
// shows which client is asking, with Allow and Deny.
func (p *Pages) device(w http.ResponseWriter, r *http.Request) {
	u := p.user(r)
	if u == nil {
		p.askSignIn(w, r, http.StatusOK, "", "")
		return
	}
	typed := r.URL.Query().Get("user_code")
	if typed == "" {
		p.render(w, r, http.StatusOK, "device.html", page{Title: "Authorize request", User: u, Data: deviceData{}})
		return
	}
	req, err := p.Devices.Pending(auditCtx(r, *u), typed, u.ID, httpx.ClientIP(r))
	if err != nil {
		p.render(w, r, statusFor(err), "device.html", page{Title: "Authorize request", User: u, Error: message(err), Data: deviceData{Typed: typed}})
		return
	}
	p.render(w, r, http.StatusOK, "device.html", page{Title: "Authorize request", User: u, Data: deviceData{Request: &req}})
}

// decide records Allow or Deny for a code.
func (p *Pages) decide(w http.ResponseWriter, r *http.Request) {
	u := p.user(r)
	if u == nil {
		p.askSignIn(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again.", "")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		p.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Bad request", User: u, Error: "The form could not be read."})
		return
	}
	code, action := r.PostForm.Get("user_code"), r.PostForm.Get("action")
	if action != "allow" && action != "deny" {
		p.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Bad request", User: u, Error: "Choose Allow or Deny."})
		return
	}
	if err := p.Devices.Decide(auditCtx(r, *u), code, u.ID, p.sessionHash(r), action == "allow"); err != nil {
		p.render(w, r, statusFor(err), "device.html", page{Title: "Authorize request", User: u, Error: message(err), Data: deviceData{Typed: code}})
		return
	}
	p.render(w, r, http.StatusOK, "device.html", page{Title: "Authorize request", User: u,
		Data: deviceData{Approved: action == "allow", Denied: action == "deny"}})
}
