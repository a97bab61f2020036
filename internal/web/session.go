package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// page is the data every template gets.
type page struct {
	Title string
	User  *ic.User
	Error string
	Data  any
}

func (p *Pages) render(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := p.tmpl.ExecuteTemplate(w, name, pg); err != nil {
		slog.ErrorContext(r.Context(), "render page", "template", name, "err", err)
	}
}

// user returns the signed-in user, or nil.
func (p *Pages) user(r *http.Request) *ic.User {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	_, u, err := p.SignIn.Session(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return &u
}

// sessionHash is the stored name of r's portal session, or "".
func (p *Pages) sessionHash(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	ps, _, err := p.SignIn.Session(r.Context(), c.Value)
	if err != nil {
		return ""
	}
	return ps.IDHash
}

type signInData struct {
	Next     string
	UserName string
}

// askSignIn shows the sign-in form, returning to next afterwards.
func (p *Pages) askSignIn(w http.ResponseWriter, r *http.Request, status int, msg, userName string) {
	p.render(w, r, status, "signin.html", page{Title: "Sign in", Error: msg,
		Data: signInData{Next: r.URL.RequestURI(), UserName: userName}})
}

func (p *Pages) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.render(w, r, http.StatusBadRequest, "error.html", page{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	name, pw, next := strings.TrimSpace(r.PostForm.Get("username")), r.PostForm.Get("password"), safeNext(r.PostForm.Get("next"))
	ctx := httpx.AuditContext(r)
	u, err := p.SignIn.Authenticate(ctx, name, pw, httpx.ClientIP(r))
	if err != nil {
		r.URL, _ = url.Parse(next)
		p.askSignIn(w, r, statusFor(err), message(err), name)
		return
	}
	value, _, err := p.SignIn.StartSession(ctx, u.ID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(p.SessionLifetime.Seconds())})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (p *Pages) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = p.SignIn.EndSession(httpx.AuditContext(r), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/start", http.StatusSeeOther)
}

// statusFor maps an error to the page's HTTP status.
func statusFor(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Denied:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Throttled:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// message is the text a person sees for err; internal details stay in logs.
func message(err error) string {
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
		return e.Message
	}
	return "Something went wrong on our side. Try again in a moment."
}

func (p *Pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errs.KindOf(err) == errs.Internal {
		slog.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	}
	p.render(w, r, statusFor(err), "error.html", page{Title: "Something went wrong", User: p.user(r), Error: message(err)})
}
