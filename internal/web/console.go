package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/console"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// Console signs people in to the console stand-in (package console).
type Console interface {
	SigninToken(c console.Credentials, duration time.Duration) (string, error)
	Login(ctx context.Context, token, issuer string) (string, console.Session, error)
	Open(cookie string) (console.Session, bool)
}

const (
	consoleCookie = "keyward_console"
	consolePath   = "/console"
	// maxFederationQuery bounds the federation endpoint's parameters; a
	// Session holds three credentials, the token at most 4 KiB.
	maxFederationQuery = 16 << 10
)

// federation is AWS's federation endpoint (signin.aws.amazon.com/federation):
// Action=getSigninToken answers JSON for scripts, Action=login signs the
// browser in to the console.
func (p *Pages) federation(w http.ResponseWriter, r *http.Request) error {
	if len(r.URL.RawQuery) > maxFederationQuery {
		return errs.E(errs.Invalid, "The request is too long.")
	}
	q := r.URL.Query()
	switch q.Get("Action") {
	case "getSigninToken":
		return p.getSigninToken(w, q)
	case "login":
		return p.consoleLogin(w, r, q)
	}
	return errs.E(errs.Invalid, "Action must be getSigninToken or login.")
}

func (p *Pages) getSigninToken(w http.ResponseWriter, q url.Values) error {
	var c console.Credentials
	if err := json.Unmarshal([]byte(q.Get("Session")), &c); err != nil {
		return errs.E(errs.Invalid, `Session must be JSON: {"sessionId": …, "sessionKey": …, "sessionToken": …}.`)
	}
	var d time.Duration
	if v := q.Get("SessionDuration"); v != "" {
		// Checked in seconds: 0 is not "none", and a huge number must not
		// wrap around into the bounds once in nanoseconds.
		n, err := strconv.Atoi(v)
		if err != nil || n < int(console.MinSessionDuration/time.Second) || n > int(console.MaxSessionDuration/time.Second) {
			return errs.E(errs.Invalid, "SessionDuration must be between 900 and 43200 seconds.")
		}
		d = time.Duration(n) * time.Second
	}
	tok, err := p.Console.SigninToken(c, d)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]string{"SigninToken": tok})
}

func (p *Pages) consoleLogin(w http.ResponseWriter, r *http.Request, q url.Values) error {
	dest, err := consoleDestination(q.Get("Destination"))
	if err != nil {
		return err
	}
	cookie, sess, err := p.Console.Login(httpx.AuditContext(r), q.Get("SigninToken"), q.Get("Issuer"))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: cookie, Path: consolePath, Expires: sess.Expires,
		HttpOnly: true, Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, dest, http.StatusFound)
	return nil
}

// consoleDestination maps a sign-in URL's Destination to a page here: the
// console page itself for an AWS console address (keyward serves no
// service consoles, so the page names the one asked for), or a path under
// /console. Anything else is refused, so the endpoint redirects nowhere else.
func consoleDestination(dest string) (string, error) {
	if dest == "" {
		return consolePath, nil
	}
	u, err := url.Parse(dest)
	if err != nil {
		return "", errBadDestination
	}
	if (dest == consolePath || strings.HasPrefix(dest, consolePath+"?")) && !strings.Contains(dest, "\\") {
		return dest, nil
	}
	if u.Scheme == "https" && u.User == nil && isConsoleHost(u.Hostname()) {
		return consolePath + "?destination=" + url.QueryEscape(dest), nil
	}
	return "", errBadDestination
}

var errBadDestination = errs.E(errs.Invalid, "Destination must be an AWS console address (https://console.aws.amazon.com/…).")

func isConsoleHost(h string) bool {
	return h == "console.aws.amazon.com" || strings.HasSuffix(h, ".console.aws.amazon.com")
}

type consoleData struct {
	Session     console.Session
	Destination string
}

// consolePage shows who the console session is: account, role, session
// name, tags and when it ends.
func (p *Pages) consolePage(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(consoleCookie)
	var sess console.Session
	ok := err == nil
	if ok {
		sess, ok = p.Console.Open(c.Value)
	}
	if !ok {
		return errs.E(errs.Unauthenticated, "You are not signed in to the AWS console. Open it from the access portal's Management console link, or with a federation sign-in URL.")
	}
	dest := r.URL.Query().Get("destination")
	if u, err := url.Parse(dest); err != nil || !isConsoleHost(u.Hostname()) {
		dest = ""
	}
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, http.StatusOK, "console.html", view{Title: "AWS console", Data: consoleData{Session: sess, Destination: dest}})
	return nil
}

// consoleSignOut ends the console session.
func (p *Pages) consoleSignOut(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: "", Path: consolePath, MaxAge: -1,
		HttpOnly: true, Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, consolePath, http.StatusSeeOther)
	return nil
}

// consoleLink is the portal's "Management console" link on a role: it
// mints the role's credentials as the portal does (checking the assignment
// and logging it), trades them for a sign-in token lasting as long as the
// credentials, and signs the browser in through the federation endpoint.
func (p *Pages) consoleLink(w http.ResponseWriter, r *http.Request, s session) error {
	q := r.URL.Query()
	c, err := p.Credentials.RoleCredentials(signInCtx(r, s), s.User, q.Get("account_id"), q.Get("role_name"))
	if err != nil {
		return err
	}
	d := min(max(time.Until(c.Expiration).Round(time.Minute), console.MinSessionDuration), console.MaxSessionDuration)
	tok, err := p.Console.SigninToken(console.Credentials{SessionID: c.AccessKeyID, SessionKey: c.SecretAccessKey, SessionToken: c.SessionToken}, d)
	if err != nil {
		return err
	}
	v := url.Values{"Action": {"login"}, "Issuer": {p.StartURL}, "SigninToken": {tok}}
	http.Redirect(w, r, "/federation?"+v.Encode(), http.StatusFound)
	return nil
}
