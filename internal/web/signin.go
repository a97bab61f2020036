package web

import (
	"github.com/keyward/keyward/internal/web/look"
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// errUnreadableForm is the answer to a form body that is too large or
// malformed.
var errUnreadableForm = errs.E(errs.Invalid, "The form could not be read.")

// signIn checks the sign-in form, starts a session and goes on to the
// form's next page. A refused sign-in shows the form again with the reason
// and the user name kept.
func (p *Pages) signIn(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return errUnreadableForm
	}
	name, pw, next := strings.TrimSpace(r.PostForm.Get("username")), r.PostForm.Get("password"), safeNext(r.PostForm.Get("next"))
	ctx := httpx.AuditContext(r)
	if ext, err := p.external(ctx); err != nil || ext {
		return cmpErr(err, errSignInElsewhere)
	}
	u, err := p.SignIn.Authenticate(ctx, name, pw, httpx.ClientIP(r))
	if look.IsRefusal(err) {
		p.askSignIn(w, r, look.StatusFor(err), look.Message(err), signInData{Next: next, UserName: name})
		return nil
	}
	if err != nil {
		return err
	}
	value, _, err := p.SignIn.StartSession(ctx, u.ID)
	if err != nil {
		return err
	}
	p.setSession(w, value)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// setSession gives the browser the session cookie. It outlives no
// session (the store decides when one ends).
func (p *Pages) setSession(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(p.SessionLifetime.Seconds())})
}

// signOut ends the session and forgets its cookie. When the session cannot
// be ended the cookie is kept, so that signing out can be tried again.
func (p *Pages) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := p.SignIn.EndSession(httpx.AuditContext(r), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	// With an identity provider, /start would send the browser on to it:
	// a redirect off this site after a form post, which the page's CSP
	// (form-action 'self') makes browsers refuse, leaving the person
	// looking at the page they signed out of; and were it allowed, one that
	// signs them in again at once. They are told they signed out instead.
	// (If the identity source cannot be read, /start shows that failure.)
	next := "/start"
	if ext, err := p.external(r.Context()); err == nil && ext {
		next = signedOutPath
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// signedOutPath is the page that says the person signed out of the portal.
const signedOutPath = "/start/signed-out"

func (p *Pages) signedOutPage(w http.ResponseWriter, r *http.Request) error {
	p.render(w, r, http.StatusOK, "signedout.html", view{Title: "Signed out"})
	return nil
}
