package web

import (
	"context"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/web/look"
)

// Federation signs people in through an external identity provider over
// SAML when the identity source says so (samlsp.SP).
type Federation interface {
	// External reports whether people sign in at an external identity
	// provider rather than with a password here.
	External(ctx context.Context) (bool, error)
	AuthnRequest(ctx context.Context, relayState string) (samlsp.Request, error)
	Consume(ctx context.Context, form url.Values) (samlsp.Result, error)
	Metadata() []byte
}

// acsPattern is the ACS route (samlsp.ACSPath).
const acsPattern = "/platform/saml/acs/{id}"

// errSignInElsewhere answers a password posted while people sign in at an
// identity provider.
var errSignInElsewhere = errs.E(errs.Denied, "Sign in through your organization's identity provider: open the start URL again.")

// external reports whether sign-in goes to an identity provider.
func (p *Pages) external(ctx context.Context) (bool, error) {
	if p.Federation == nil {
		return false, nil
	}
	return p.Federation.External(ctx)
}

// toIdentityProvider sends the browser to the identity provider with an
// AuthnRequest that brings it back to next.
func (p *Pages) toIdentityProvider(w http.ResponseWriter, r *http.Request, next string) error {
	if len(next) > samlsp.MaxRelayState {
		p.keepNext(w, next)
		next = resumePath
	}
	req, err := p.Federation.AuthnRequest(httpx.AuditContext(r), next)
	if err != nil {
		return err
	}
	if req.Form == nil {
		http.Redirect(w, r, req.URL, http.StatusFound)
		return nil
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errs.E(errs.Invalid, "The identity provider's sign-in address %q cannot be used; ask your administrator.", req.URL)
	}
	// This one form may be posted to the identity provider's origin.
	w.Header().Set("Content-Security-Policy", strings.Replace(look.CSP, "form-action 'self'", "form-action "+u.Scheme+"://"+u.Host, 1))
	p.render(w, r, http.StatusOK, "autopost.html", view{Title: "Signing in", Data: autoPost{URL: template.URL(u.String()), Form: req.Form}})
	return nil
}

// autoPost is a form the browser posts on to another site.
type autoPost struct {
	URL  template.URL
	Form url.Values
}

// acs is the assertion consumer service: the identity provider posts its
// Response here. A valid one starts a portal session capped by the
// identity provider's session and goes on to where the person was going.
func (p *Pages) acs(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, samlsp.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return errUnreadableForm
	}
	ctx := httpx.AuditContext(r)
	res, err := p.Federation.Consume(ctx, r.PostForm)
	if err != nil {
		return err
	}
	value, _, err := p.SignIn.StartFederatedSession(ctx, res.User.ID, res.SessionNotOnOrAfter, res.AccessControl)
	if err != nil {
		return err
	}
	p.setSession(w, value)
	// An IdP-initiated RelayState comes from the identity provider, not
	// from a request of ours: it must still stay on this site.
	http.Redirect(w, r, safeNext(res.RelayState), http.StatusSeeOther)
	return nil
}

// spMetadata serves the service provider's metadata for the identity
// provider's administrator.
func (p *Pages) spMetadata(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err := w.Write(p.Federation.Metadata())
	return err
}

// cmpErr is err when there is one, else refusal.
func cmpErr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

// A page address too long for RelayState (80 bytes), such as /authorize
// with its query, waits in a short-lived cookie while the person signs in
// at the identity provider; RelayState is then resumePath, which reads it.
const (
	nextCookie = "keyward_next"
	resumePath = "/start/resume"
	nextMaxAge = 10 * 60 // seconds: a sign-in at the identity provider
)

// keepNext keeps next in the cookie that resumePath reads.
func (p *Pages) keepNext(w http.ResponseWriter, next string) {
	http.SetCookie(w, &http.Cookie{Name: nextCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(next)),
		Path: resumePath, HttpOnly: true, Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: nextMaxAge})
}

// resume goes on to the page kept by keepNext (checked again: a cookie is
// outside input), or to the portal, and forgets it.
func (p *Pages) resume(w http.ResponseWriter, r *http.Request, _ session) error {
	next := defaultNext
	if c, err := r.Cookie(nextCookie); err == nil && len(c.Value) <= 2*maxNextLen {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			next = safeNext(string(b))
		}
	}
	http.SetCookie(w, &http.Cookie{Name: nextCookie, Value: "", Path: resumePath, HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
