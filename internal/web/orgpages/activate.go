package orgpages

import (
	"context"
	"net/http"
	"net/url"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/idp/oidc"
	"github.com/keyward/keyward/internal/web/look"
)

// Devices are the OpenID Connect provider's device authorizations
// (oidc.Provider): what a typed code asks for, and the person's answer.
type Devices interface {
	Pending(ctx context.Context, typed, userID, clientIP string) (oidc.DeviceRequest, error)
	Decide(ctx context.Context, typed string, ss directory.Session, u directory.User, approve bool, clientIP string) error
}

// activateData fills the verification page.
type activateData struct {
	UserCode string
	Request  *oidc.DeviceRequest // the request behind the code, once typed
	Done     string              // "approved" or "denied" after the answer
}

func (p *Pages) activateRoutes(mux *http.ServeMux) {
	if p.Devices == nil {
		return
	}
	mux.Handle("GET "+oidc.ActivatePath, p.signedIn(p.activatePage))
	mux.Handle("POST "+oidc.ActivatePath, p.signedIn(p.activate))
}

// activatePage asks for the code a device shows, or, with one
// (verification_uri_complete), shows which app asks for what. A session
// without the second factor the person's policy requires steps up first.
func (p *Pages) activatePage(w http.ResponseWriter, r *http.Request, s session) error {
	typed := r.URL.Query().Get("user_code")
	if typed == "" {
		p.render(w, r, http.StatusOK, "activate.html", view{Title: "Activate your device", User: &s.User, Data: activateData{}})
		return nil
	}
	if st, need, err := p.SignIn.StepUp(r.Context(), s.User, s.Session, oidc.ActivatePath+"?user_code="+url.QueryEscape(typed)); err != nil {
		return err
	} else if need {
		return p.toStep(w, r, st)
	}
	req, err := p.Devices.Pending(r.Context(), typed, s.User.ID, httpx.ClientIP(r))
	if err != nil {
		p.render(w, r, look.StatusFor(err), "activate.html", view{Title: "Activate your device", User: &s.User,
			Error: look.Message(err), Data: activateData{UserCode: typed}})
		return nil
	}
	p.render(w, r, http.StatusOK, "activate.html", view{Title: "Activate " + req.ClientName, User: &s.User,
		Data: activateData{UserCode: req.UserCode, Request: &req}})
	return nil
}

// activate records the person's answer for the code.
func (p *Pages) activate(w http.ResponseWriter, r *http.Request, s session) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	typed, approve := r.PostForm.Get("user_code"), r.PostForm.Get("decision") == "approve"
	if st, need, err := p.SignIn.StepUp(r.Context(), s.User, s.Session, oidc.ActivatePath+"?user_code="+url.QueryEscape(typed)); err != nil {
		return err
	} else if need {
		return p.toStep(w, r, st)
	}
	err := p.Devices.Decide(httpx.AuditContext(r), typed, s.Session, s.User, approve, httpx.ClientIP(r))
	if err != nil {
		p.render(w, r, look.StatusFor(err), "activate.html", view{Title: "Activate your device", User: &s.User,
			Error: look.Message(err), Data: activateData{UserCode: typed}})
		return nil
	}
	done := map[bool]string{true: "approved", false: "denied"}[approve]
	title := map[bool]string{true: "Device activated", false: "Request denied"}[approve]
	p.render(w, r, http.StatusOK, "activate.html", view{Title: title, User: &s.User, Data: activateData{Done: done}})
	return nil
}
