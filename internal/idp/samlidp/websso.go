package samlidp

import (
	"context"
	"net/http"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// WebSSO redeems the web-SSO tokens the OpenID Connect provider issues by
// token exchange (oidc.Provider): once each, for the app, person and
// session they were issued for, if all still stand.
type WebSSO interface {
	RedeemWebSSO(ctx context.Context, token string) (directory.App, directory.User, directory.Session, error)
}

// WebSSOPath is Okta's endpoint that trades a web-SSO token for the app's
// SAML response, as an auto-posting form (okta-aws-cli reads its
// SAMLResponse input).
const WebSSOPath = "/login/token/sso"

// maxWebSSOForm bounds the form that carries a web-SSO token.
const maxWebSSOForm = 8 << 10

// ServeWebSSO serves POST (okta-aws-cli 2.6: form field token) and GET
// (earlier versions: ?token=) /login/token/sso.
func (h *Handler) ServeWebSSO(w http.ResponseWriter, r *http.Request) {
	if err := h.webSSO(w, r); err != nil {
		h.errorPage(w, r, err)
	}
}

func (h *Handler) webSSO(w http.ResponseWriter, r *http.Request) error {
	if h.WebSSO == nil {
		return errs.E(errs.NotFound, "There is no page at this address.")
	}
	token := r.URL.Query().Get("token")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxWebSSOForm)
		if err := r.ParseForm(); err != nil {
			return errUnreadable("its form is too large or malformed")
		}
		token = r.PostForm.Get("token")
	}
	if token == "" {
		return errs.E(errs.Invalid, "The token parameter is required: a web-SSO token from the token endpoint.")
	}
	ctx := httpx.AuditContext(r)
	app, u, ss, err := h.WebSSO.RedeemWebSSO(ctx, token)
	if err != nil {
		return err
	}
	if app.SignOnMode != directory.SAML2 {
		return errs.E(errs.Invalid, "%s does not sign in with SAML.", app.Label)
	}
	ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Login()})
	groups, err := h.Directory.UserGroups(ctx, u.ID)
	if err != nil {
		return err
	}
	return h.issue(ctx, w, r, app, AuthnRequest{}, Grant{App: app, User: u, Groups: groups, Session: ss, Now: h.Clock.Now()})
}
