package oidc

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/keyward/keyward/internal/httpx"
)

// serveLogout is RP-initiated logout (OpenID Connect RP-Initiated Logout
// 1.0): the id_token_hint (an ID token this server issued, expired or
// not) names the client and must be about the person signed in; the
// browser's IdP session ends; the browser goes to the client's registered
// post-logout URI with the state, or to the sign-in page. An unregistered
// post-logout URI is an error page, never a redirect.
func (p *Provider) serveLogout(w http.ResponseWriter, r *http.Request) {
	s, err := p.server(r)
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	q, err := authorizeParams(w, r)
	if err == nil && len(q.Get("state")) > maxEcho {
		err = invalidRequest("The 'state' parameter is longer than " + strconv.Itoa(maxEcho) + " bytes.")
	}
	if err != nil {
		p.errorPage(w, r, err)
		return
	}
	var c idClaims
	if p.verify(r.Context(), q.Get("id_token_hint"), &c) != nil || c.Issuer != s.issuer {
		p.errorPage(w, r, invalidRequest("The 'id_token_hint' parameter must be an ID token this authorization server issued."))
		return
	}
	target := orgLoginPath
	if uri := q.Get("post_logout_redirect_uri"); uri != "" {
		app, err := p.client(r.Context(), c.Audience)
		if err != nil || !slices.Contains(app.OAuth.PostLogoutRedirectURIs, uri) {
			p.errorPage(w, r, invalidRequest("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings."))
			return
		}
		target = withState(uri, q.Get("state"))
	}
	if ck, err := r.Cookie(orgSessionCookie); err == nil {
		// The hint must be about the person signed in here, or any ID
		// token (the caller's own) would sign anyone out from a link.
		if _, u, err := p.SignIn.Session(r.Context(), ck.Value); err == nil && u.ID != c.Subject {
			p.errorPage(w, r, invalidRequest("The 'id_token_hint' parameter names another person than the one signed in; nobody was signed out."))
			return
		}
		if err := p.SignIn.EndSession(httpx.AuditContext(r), ck.Value); err != nil {
			p.errorPage(w, r, err)
			return
		}
	}
	p.setCookie(w, orgSessionCookie, "", -1)
	http.Redirect(w, r, target, http.StatusFound)
}

func withState(uri, state string) string {
	if state == "" {
		return uri
	}
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	q := u.Query()
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String()
}
