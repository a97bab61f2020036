package orgpages

import (
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/web/look"
)

func (p *Pages) dashboardRoutes(mux *http.ServeMux) {
	mux.Handle("GET "+homePath, p.signedIn(p.home))
	mux.Handle("POST /app/password", p.signedIn(p.changePassword))
	mux.Handle("POST /app/totp", p.signedIn(p.assured(p.addTOTP)))
	mux.Handle("POST /app/totp/{factorId}", p.signedIn(p.assured(p.confirmTOTP)))
	mux.Handle("POST /app/webauthn", p.signedIn(p.assured(p.addKey)))
	mux.Handle("POST /app/factors/{factorId}/delete", p.signedIn(p.assured(p.removeFactor)))
	mux.Handle("POST /app/sessions/others/delete", p.signedIn(p.endOtherSessions))
}

// assured serves page, which changes the person's factors, only to a
// session with the second factor their policy requires. A session without
// it (begun before the policy asked for one) steps up first and comes
// back to the dashboard: a factor added from it would otherwise pass every
// later step-up.
func (p *Pages) assured(page pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s session) error {
		st, need, err := p.SignIn.StepUp(r.Context(), s.User, s.Session, homePath)
		if err != nil {
			return err
		}
		if need {
			return p.toStep(w, r, st)
		}
		return page(w, r, s)
	}
}

// homeData fills the dashboard.
type homeData struct {
	Apps     []appTile
	Groups   []directory.Group
	Factors  []directory.Factor
	Sessions []sessionRow
	// Enroll, while adding an authenticator app: its QR code and secret.
	Enroll *loginData
	Factor string
	// Key, when security keys can be added: the registration ceremony
	// the "Add a security key" form carries.
	Key *keyCeremony
}

// appTile is one app on the dashboard: its label, and the URL that
// starts IdP-initiated sign-in to it (served by the SAML identity
// provider).
type appTile struct {
	Label string
	URL   string
}

// appTiles are the person's active apps, by label. An OpenID Connect app
// is a tile only when it has a URL that starts its sign-in
// (initiate_login_uri): a CLI or a service has none.
func appTiles(apps []directory.App) []appTile {
	var out []appTile
	for _, a := range apps {
		switch {
		case a.Status != directory.AppActive:
		case a.SignOnMode == directory.OIDC && a.OAuth.InitiateLoginURI != "":
			out = append(out, appTile{a.Label, a.OAuth.InitiateLoginURI})
		case a.SignOnMode == directory.SAML2:
			out = append(out, appTile{a.Label, "/app/" + a.Name + "/" + a.ID + "/sso/saml"})
		}
	}
	return out
}

type sessionRow struct {
	directory.Session
	Current bool
}

// home is the person's dashboard.
func (p *Pages) home(w http.ResponseWriter, r *http.Request, s session) error {
	return p.showHome(w, r, s, http.StatusOK, view{})
}

func (p *Pages) showHome(w http.ResponseWriter, r *http.Request, s session, status int, v view) error {
	ctx := r.Context()
	groups, err := p.Directory.UserGroups(ctx, s.User.ID)
	if err != nil {
		return err
	}
	factors, err := p.Directory.Factors(ctx, s.User.ID)
	if err != nil {
		return err
	}
	sessions, err := p.Directory.ListIdPSessions(ctx, s.User.ID)
	if err != nil {
		return err
	}
	apps, err := p.Directory.UserApps(ctx, s.User.ID)
	if err != nil {
		return err
	}
	d, _ := v.Data.(homeData)
	d.Apps, d.Groups, d.Factors = appTiles(apps), groups, activeOnly(factors)
	if d.Enroll == nil && p.SignIn.SecurityKeys() {
		if d.Key, err = p.keyRegistration(r, s.User); err != nil {
			return err
		}
	}
	for _, ss := range sessions {
		d.Sessions = append(d.Sessions, sessionRow{ss, ss.IDHash == s.Session.IDHash})
	}
	v.Title, v.User, v.Data = s.User.DisplayName(), &s.User, d
	p.render(w, r, status, "home.html", v)
	return nil
}

func activeOnly(factors []directory.Factor) []directory.Factor {
	var out []directory.Factor
	for _, f := range factors {
		if f.Status == directory.FactorActive {
			out = append(out, f)
		}
	}
	return out
}

// changePassword changes the person's password (the current one is asked).
func (p *Pages) changePassword(w http.ResponseWriter, r *http.Request, s session) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	var err error
	if f.Get("password") != f.Get("confirm") {
		err = errs.E(errs.Invalid, "The two new passwords differ.")
	} else {
		_, err = p.SignIn.ChangePassword(httpx.AuditContext(r), s.User, f.Get("current"), f.Get("password"))
	}
	return p.afterAction(w, r, s, err, "Your password has been changed.")
}

// afterAction shows the dashboard with a refusal's message, or with note.
func (p *Pages) afterAction(w http.ResponseWriter, r *http.Request, s session, err error, note string) error {
	if err != nil && !look.IsRefusal(err) {
		return err
	}
	if err != nil {
		return p.showHome(w, r, s, look.StatusFor(err), view{Error: look.Message(err)})
	}
	return p.showHome(w, r, s, http.StatusOK, view{Note: note})
}

// addTOTP starts adding an authenticator app from the dashboard.
func (p *Pages) addTOTP(w http.ResponseWriter, r *http.Request, s session) error {
	e, err := p.SignIn.BeginTOTP(httpx.AuditContext(r), s.User)
	if err != nil {
		return err
	}
	return p.showEnroll(w, r, s, e, http.StatusOK, "")
}

func (p *Pages) showEnroll(w http.ResponseWriter, r *http.Request, s session, e orgsignin.Enrollment, status int, msg string) error {
	var d loginData
	if err := fillQR(&d, e); err != nil {
		return err
	}
	return p.showHome(w, r, s, status, view{Error: msg, Data: homeData{Enroll: &d, Factor: e.FactorID}})
}

// confirmTOTP activates the app being added once its code is right.
func (p *Pages) confirmTOTP(w http.ResponseWriter, r *http.Request, s session) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("factorId")
	err := p.SignIn.ConfirmTOTP(httpx.AuditContext(r), s.User.ID, id, strings.TrimSpace(r.PostForm.Get("code")))
	if err != nil && look.IsRefusal(err) && !errs.Is(err, errs.NotFound) {
		// A wrong code shows the app being set up again; an app already
		// set up (or another factor) is refused without its secret.
		e, eerr := p.SignIn.Enrollment(r.Context(), s.User, id)
		if look.IsRefusal(eerr) {
			return p.afterAction(w, r, s, err, "")
		}
		if eerr != nil {
			return eerr
		}
		return p.showEnroll(w, r, s, e, look.StatusFor(err), look.Message(err))
	}
	return p.afterAction(w, r, s, err, "Your authenticator app is set up.")
}

// removeFactor removes one of the person's own factors.
func (p *Pages) removeFactor(w http.ResponseWriter, r *http.Request, s session) error {
	err := p.Directory.DeleteFactor(httpx.AuditContext(r), s.User.ID, r.PathValue("factorId"))
	return p.afterAction(w, r, s, err, "The factor has been removed.")
}

// endOtherSessions signs the person out everywhere but here.
func (p *Pages) endOtherSessions(w http.ResponseWriter, r *http.Request, s session) error {
	sessions, err := p.Directory.ListIdPSessions(r.Context(), s.User.ID)
	if err != nil {
		return err
	}
	for _, ss := range sessions {
		if ss.IDHash != s.Session.IDHash {
			if err := p.Directory.EndIdPSession(httpx.AuditContext(r), ss.IDHash); err != nil {
				return err
			}
		}
	}
	return p.afterAction(w, r, s, nil, "Your other sessions have been signed out.")
}
