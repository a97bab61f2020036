package web

import (
	"net/http"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

const sessionCookie = "keyward_session"

// session is the signed-in person: their portal session and their user.
type session struct {
	Portal ic.PortalSession
	User   ic.User
}

// pageFunc is a page for a signed-in person. It writes the page, or returns
// an error, without writing anything, for errorPage to show.
type pageFunc func(w http.ResponseWriter, r *http.Request, s session) error

// publicFunc is a page anyone may use (signing in and out), with the same
// error contract as pageFunc.
type publicFunc func(w http.ResponseWriter, r *http.Request) error

// signedIn serves page to a signed-in person. Anyone else gets the sign-in
// form, which brings them back here. A session that cannot be looked up is
// our failure, shown as such: the person may well be signed in.
func (p *Pages) signedIn(page pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := p.session(r)
		switch {
		case errs.Is(err, errs.Unauthenticated):
			p.signedOut(w, r)
		case err != nil:
			p.errorPage(w, r, nil, err)
		default:
			if err := page(w, r, s); err != nil {
				p.errorPage(w, r, &s.User, err)
			}
		}
	})
}

// public serves a page that needs no session.
func (p *Pages) public(page publicFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := page(w, r); err != nil {
			p.errorPage(w, r, nil, err)
		}
	})
}

// session returns the signed-in person, or an errs.Unauthenticated error
// when there is none.
func (p *Pages) session(r *http.Request) (session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, errs.E(errs.Unauthenticated, "not signed in")
	}
	ps, u, err := p.SignIn.Session(r.Context(), c.Value)
	return session{Portal: ps, User: u}, err
}

// signedOut shows the sign-in form in place of the page asked for, and
// returns there afterwards. A form posted without a session (it ended while
// the form was open) is a 401 that says so.
func (p *Pages) signedOut(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.RequestURI())
	if ext, err := p.external(r.Context()); err != nil || ext {
		if err == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			err = p.toIdentityProvider(w, r, next)
		} else if err == nil {
			err = errs.E(errs.Unauthenticated, "Your session has ended. Open the start URL to sign in again.")
		}
		if err != nil {
			p.errorPage(w, r, nil, err)
		}
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.askSignIn(w, r, http.StatusOK, "", signInData{Next: next})
		return
	}
	p.askSignIn(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again.", signInData{Next: next})
}

// signInData fills the sign-in form: where to go afterwards, and the user
// name typed before a refusal.
type signInData struct {
	Next     string
	UserName string
}

// askSignIn shows the sign-in form with status and message msg.
func (p *Pages) askSignIn(w http.ResponseWriter, r *http.Request, status int, msg string, d signInData) {
	p.render(w, r, status, "signin.html", view{Title: "Sign in", Error: msg, Data: d})
}
