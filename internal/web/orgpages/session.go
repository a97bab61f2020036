package orgpages

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// The cookies. They differ from the AWS side's: browsers share cookies
// between ports of one host.
const (
	sessionCookie = "keyward_org_session"
	stateCookie   = "keyward_org_signin"
	homePath      = "/app/UserHome"
)

// session is the signed-in person.
type session struct {
	Session directory.Session
	User    directory.User
	value   string // the cookie value, to tell this session from others
}

type pageFunc func(w http.ResponseWriter, r *http.Request, s session) error
type publicFunc func(w http.ResponseWriter, r *http.Request) error

// signedIn serves page to a signed-in person; anyone else is sent to sign
// in and brought back afterwards.
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

// signedOut shows the sign-in form in place of the page asked for and
// comes back to it afterwards. A form posted without a session (it ended
// while the form was open) is a 401 that says so.
func (p *Pages) signedOut(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.RequestURI())
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.askSignIn(w, r, http.StatusOK, "", next)
		return
	}
	p.askSignIn(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again.", homePath)
}

func (p *Pages) session(r *http.Request) (session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, errs.E(errs.Unauthenticated, "not signed in")
	}
	ss, u, err := p.SignIn.Session(r.Context(), c.Value)
	return session{Session: ss, User: u, value: c.Value}, err
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site;
// maxAge < 0 deletes it.
func (p *Pages) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// safeNext keeps a return address on this site: a path, never another
// host ("//evil.example", "/\evil.example") or a scheme. Browsers drop
// tabs and newlines anywhere in a URL ("/\t/evil.example" is
// "//evil.example"), so any control character refuses it.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.ContainsFunc(next, unicode.IsControl) || len(next) > 512 {
		return homePath
	}
	return next
}

// readForm parses a small form body.
func readForm(w http.ResponseWriter, r *http.Request) error { return readFormMax(w, r, 16<<10) }

// readFormMax parses a form body of at most limit bytes.
func readFormMax(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "The form could not be read.")
	}
	return nil
}
