package samlidp

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// Cookies and pages of the org pages (web/orgpages) this endpoint works with.
const (
	orgSessionCookie = "keyward_org_session"
	orgStateCookie   = "keyward_org_signin"
	orgLoginPath     = "/login"
	orgStepPath      = "/login/step"
)

// maxForm bounds an HTTP-POST binding's body.
const maxForm = 2*maxEncodedRequest + 4<<10

// ServeSSO serves GET and POST /app/{name}/{id}/sso/saml: SP-initiated
// with a SAMLRequest, IdP-initiated without one (a dashboard tile), and
// the return from the sign-in pages (?resume=).
func (h *Handler) ServeSSO(w http.ResponseWriter, r *http.Request) {
	ctx := httpx.AuditContext(r)
	app, err := h.ssoApp(r)
	if err == nil {
		err = h.sso(ctx, w, r, app)
	}
	if err != nil {
		if app.ID != "" && errs.KindOf(err) != errs.Internal {
			h.deny(ctx, r, app, err)
		}
		h.errorPage(w, r, err)
	}
}

func (h *Handler) ssoApp(r *http.Request) (directory.App, error) {
	app, err := h.samlApp(r, r.PathValue("id"))
	if err == nil && app.Name != r.PathValue("name") {
		return directory.App{}, errs.E(errs.NotFound, "There is no SAML app at this address.")
	}
	if err == nil && app.Status != directory.AppActive {
		return app, errs.E(errs.Denied, "%s is not active. Ask your administrator to activate it.", app.Label)
	}
	return app, err
}

func (h *Handler) sso(ctx context.Context, w http.ResponseWriter, r *http.Request, app directory.App) error {
	req, err := h.request(w, r, app)
	if err != nil {
		return err
	}
	ss, u, err := h.session(r)
	signIn := errs.Is(err, errs.Unauthenticated)
	if err != nil && !signIn {
		return err
	}
	if !signIn {
		ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Login()})
	}
	// ForceAuthn: a sign-in older than the request will not do. A POST
	// carries no session cookie, so whether one is needed is only known
	// once it comes back as a GET.
	if signIn || ss.Created.Before(req.AuthnAfter) {
		if req.IsPassive && r.Method != http.MethodPost {
			return h.refuse(ctx, w, r, app, req, statusNoPassive, "The sign-in was passive and needed the person to sign in.")
		}
		return h.toSignIn(w, r, app, req)
	}
	if _, err := h.Apps.AppUser(ctx, app.ID, u.ID); errs.Is(err, errs.NotFound) {
		return errs.E(errs.Denied, "You are not assigned to %s. Ask your administrator for access.", app.Label)
	} else if err != nil {
		return err
	}
	groups, err := h.Directory.UserGroups(ctx, u.ID)
	if err != nil {
		return err
	}
	step, err := h.needsMFA(ctx, u, ss, groups)
	if err != nil {
		return err
	}
	if step != "" && req.IsPassive {
		return h.refuse(ctx, w, r, app, req, statusNoPassive, "The sign-in was passive and needed a second factor.")
	}
	if step != "" {
		return h.stepUp(w, r, app, req, u, ss, step)
	}
	return h.issue(ctx, w, r, app, req, Grant{App: app, User: u, Groups: groups, Session: ss,
		InResponseTo: req.ID, Now: h.Clock.Now()})
}

// request is the AuthnRequest the browser brings or the one parked
// before sign-in; without either, an IdP-initiated sign-in.
func (h *Handler) request(w http.ResponseWriter, r *http.Request, app directory.App) (AuthnRequest, error) {
	ssoURL := h.Issuer.SSOURL(app)
	now := h.Clock.Now()
	// A forced sign-in must not predate the request; whole seconds, so a
	// store that keeps coarser times never sends the person round again.
	forced := func(req AuthnRequest, err error) (AuthnRequest, error) {
		if err == nil && req.ForceAuthn {
			req.AuthnAfter = now.Truncate(time.Second)
		}
		return req, err
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			return AuthnRequest{}, errUnreadable("its form is too large or malformed")
		}
		if r.PostForm.Has("SAMLRequest") {
			return forced(ParsePOST(r.PostForm, app, ssoURL))
		}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return AuthnRequest{}, errUnreadable("its query string is not URL-encoded")
	}
	switch {
	case q.Has("SAMLRequest"):
		return forced(ParseRedirect(r.URL.RawQuery, app, ssoURL))
	case q.Has("resume"):
		return h.unpark(r, app, q.Get("resume"))
	}
	// IdP-initiated: a link's ?RelayState= (as on Okta's embed link, say
	// the AWS console page to land on) stands in for the app's default.
	relay := q.Get("RelayState")
	if len(relay) > maxRelayState {
		return AuthnRequest{}, errUnreadable("its RelayState is longer than 1024 bytes")
	}
	return AuthnRequest{RelayState: or(relay, app.SAML.DefaultRelayState)}, nil
}

func (h *Handler) session(r *http.Request) (directory.Session, directory.User, error) {
	c, err := r.Cookie(orgSessionCookie)
	if err != nil {
		return directory.Session{}, directory.User{}, errs.E(errs.Unauthenticated, "not signed in")
	}
	return h.SignIn.Session(r.Context(), c.Value)
}

// toSignIn parks the request and sends the person to sign in, coming back
// to it afterwards. A POST carries no SameSite=Lax session cookie, so it
// first comes back as a GET that does.
func (h *Handler) toSignIn(w http.ResponseWriter, r *http.Request, app directory.App, req AuthnRequest) error {
	back := h.park(w, app, req)
	if r.Method == http.MethodPost {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, orgLoginPath+"?next="+url.QueryEscape(back), http.StatusSeeOther)
	return nil
}

// needsMFA is the step a session without a second factor must take when
// the person's sign-on policy requires one: a factor, or enrolling one.
func (h *Handler) needsMFA(ctx context.Context, u directory.User, ss directory.Session, groups []directory.Group) (orgsignin.Step, error) {
	if slices.ContainsFunc(ss.AMR, func(m string) bool { return m == "otp" || m == "hwk" || m == "mfa" }) {
		return "", nil
	}
	policies, err := h.Directory.SignOnPolicies(ctx)
	if err != nil {
		return "", err
	}
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	if !directory.EffectivePolicy(policies, ids).RequireMFA {
		return "", nil
	}
	factors, err := h.Directory.Factors(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if slices.ContainsFunc(factors, func(f directory.Factor) bool { return f.Status == directory.FactorActive }) {
		return orgsignin.StepFactor, nil
	}
	return orgsignin.StepEnroll, nil
}

// stepUp parks the request and enters the org sign-in at its second-factor
// step (orgsignin's sealed state, in the org pages' cookie); finishing it
// starts a session with the factor and comes back here.
func (h *Handler) stepUp(w http.ResponseWriter, r *http.Request, app directory.App, req AuthnRequest,
	u directory.User, ss directory.Session, step orgsignin.Step) error {
	back := h.park(w, app, req)
	st := orgsignin.State{Login: u.Login(), UserID: u.ID, Step: step, AMR: ss.AMR, Next: back}
	h.setCookie(w, orgStateCookie, "/", h.SignIn.Seal(st), int(orgsignin.StateLifetime.Seconds()))
	http.Redirect(w, r, orgStepPath, http.StatusSeeOther)
	return nil
}

// issue signs the response, logs the sign-in and posts it to the app.
func (h *Handler) issue(ctx context.Context, w http.ResponseWriter, r *http.Request, app directory.App,
	req AuthnRequest, g Grant) error {
	signer, err := h.Keys.Active(ctx)
	if err != nil {
		return err
	}
	out, err := h.Issuer.Issue(g, signer)
	if err != nil {
		return err
	}
	e := appEvent(ctx, app, audit.Success, "")
	e.Detail["assertionId"], e.Detail["nameId"] = out.AssertionID, out.NameID
	if req.ID != "" {
		e.Detail["inResponseTo"], e.Detail["binding"] = req.ID, req.Binding
	}
	if err := h.Directory.AppendEvent(ctx, e); err != nil {
		return err
	}
	return h.postForm(w, r, app, out, req.RelayState)
}

// refuse posts the app a Response with the Responder status and the
// second-level status second, in response to req, and logs the refusal.
func (h *Handler) refuse(ctx context.Context, w http.ResponseWriter, r *http.Request, app directory.App,
	req AuthnRequest, second, why string) error {
	signer, err := h.Keys.Active(ctx)
	if err != nil {
		return err
	}
	out, err := h.Issuer.Refuse(app, req.ID, statusResponder, second, h.Clock.Now(), signer)
	if err != nil {
		return err
	}
	e := appEvent(ctx, app, audit.Deny, why)
	e.Detail["status"], e.Detail["inResponseTo"], e.Detail["binding"] = second, req.ID, req.Binding
	if err := h.Directory.AppendEvent(ctx, e); err != nil {
		return err
	}
	return h.postForm(w, r, app, out, req.RelayState)
}

// deny logs a refused sign-in to app, naming the person when known.
func (h *Handler) deny(ctx context.Context, r *http.Request, app directory.App, why error) {
	if _, u, err := h.session(r); err == nil {
		ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Login()})
	}
	e, _ := errs.As(why)
	ev := appEvent(ctx, app, audit.Deny, e.Message)
	if err := h.Directory.AppendEvent(ctx, ev); err != nil {
		h.Log.ErrorContext(ctx, "log refused saml sign-in", "app", app.ID, "err", err)
	}
}

// appEvent is Okta's user.authentication.sso with the app as target.
func appEvent(ctx context.Context, app directory.App, outcome, msg string) audit.Event {
	e := audit.New(ctx, "user.authentication.sso", "AppInstance", app.ID)
	e.TargetName, e.Outcome, e.Message = app.Label, outcome, msg
	if e.Detail == nil {
		e.Detail = map[string]string{}
	}
	e.Detail["signOnMode"] = string(directory.SAML2)
	return e
}
