package web

import (
	"errors"
	"net/http"

	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/errs"
)

const authorizeTitle = "Authorize request"

type authorizeData struct {
	Consent ssooidc.Consent
	Request string // the checked request's query, posted back by the form
	Back    string // where the browser goes after a decision
	Denied  bool
}

// authorize shows which client asks for what, with Allow and Deny. A
// request with a fault the client should hear about goes straight back to
// its redirect URI; one that cannot be trusted with a redirect is an
// error page.
func (p *Pages) authorize(w http.ResponseWriter, r *http.Request, s session) error {
	req, err := ssooidc.ParseAuthorizeRequest(r.URL.RawQuery)
	if err != nil {
		return err
	}
	consent, err := p.Authorizations.Authorization(auditCtx(r, s.User), req)
	if back, ok := redirectTo(err); ok {
		http.Redirect(w, r, back, http.StatusFound)
		return nil
	}
	if err != nil {
		return err
	}
	p.render(w, r, http.StatusOK, "authorize.html", view{Title: authorizeTitle, User: &s.User,
		Data: authorizeData{Consent: consent, Request: consent.Request.Query()}})
	return nil
}

// decideAuthorization records Allow or Deny and sends the browser back to
// the client's loopback redirect URI. It does so with a Refresh header and
// a link rather than a redirect: a redirect after a form post must be
// allowed by the page's form-action, which cannot name [::1].
func (p *Pages) decideAuthorization(w http.ResponseWriter, r *http.Request, s session) error {
	r.Body = http.MaxBytesReader(w, r.Body, 2*ssooidc.MaxAuthorizeQuery)
	if err := r.ParseForm(); err != nil {
		return errUnreadableForm
	}
	req, err := ssooidc.ParseAuthorizeRequest(r.PostForm.Get("request"))
	if err != nil {
		return err
	}
	ctx, action := auditCtx(r, s.User), r.PostForm.Get("action")
	var back string
	switch action {
	case "allow":
		back, err = p.Authorizations.Allow(ctx, req, s.User.ID, s.Portal.IDHash)
	case "deny":
		back, err = p.Authorizations.Deny(ctx, req)
	default:
		return errs.E(errs.Invalid, "Choose Allow or Deny.")
	}
	if to, ok := redirectTo(err); ok {
		back, err = to, nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Refresh", "0; url="+back)
	p.render(w, r, http.StatusOK, "authorize.html", view{Title: authorizeTitle, User: &s.User,
		Data: authorizeData{Back: back, Denied: action == "deny"}})
	return nil
}

// redirectTo is where a refusal the client should hear sends the browser.
func redirectTo(err error) (string, bool) {
	var re *ssooidc.RedirectError
	if errors.As(err, &re) {
		return re.URL, true
	}
	return "", false
}
