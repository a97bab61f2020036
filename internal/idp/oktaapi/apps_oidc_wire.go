package oktaapi

import (
	"github.com/keyward/keyward/internal/directory"
)

// oidcAppJSON is Okta's OpenIdConnectApplication.
type oidcAppJSON struct {
	appBaseJSON
	Credentials oidcCredsJSON    `json:"credentials"`
	Settings    oidcSettingsJSON `json:"settings"`
	Links       oidcLinksJSON    `json:"_links"`
}

type oidcCredsJSON struct {
	UserNameTemplate userNameTemplate `json:"userNameTemplate"`
	Signing          signingJSON      `json:"signing"`
	OAuthClient      oauthCredsJSON   `json:"oauthClient"`
}

// oauthCredsJSON is credentials.oauthClient; client_secret is there only
// in the answer that made the secret.
type oauthCredsJSON struct {
	AutoKeyRotation         bool   `json:"autoKeyRotation"`
	ClientID                string `json:"client_id"`
	ClientSecret            string `json:"client_secret,omitempty"`
	TokenEndpointAuthMethod string `json:"token_endpoint_auth_method"`
	PKCERequired            bool   `json:"pkce_required"`
}

type oidcSettingsJSON struct {
	App         map[string]string `json:"app"`
	Notes       notesJSON         `json:"notes"`
	OAuthClient oauthClientJSON   `json:"oauthClient"`
}

type oauthClientJSON struct {
	ClientURI              *string   `json:"client_uri"`
	LogoURI                *string   `json:"logo_uri"`
	RedirectURIs           []string  `json:"redirect_uris"`
	PostLogoutRedirectURIs []string  `json:"post_logout_redirect_uris"`
	ResponseTypes          []string  `json:"response_types"`
	GrantTypes             []string  `json:"grant_types"`
	ApplicationType        string    `json:"application_type"`
	ConsentMethod          string    `json:"consent_method"`
	IssuerMode             string    `json:"issuer_mode"`
	InitiateLoginURI       string    `json:"initiate_login_uri,omitempty"`
	JWKS                   *jwksBody `json:"jwks,omitempty"`
}

type oidcLinksJSON struct {
	Self          href   `json:"self"`
	Activate      *href  `json:"activate,omitempty"`
	Deactivate    *href  `json:"deactivate,omitempty"`
	Users         href   `json:"users"`
	Groups        href   `json:"groups"`
	ClientSecrets href   `json:"clientSecrets"`
	AppLinks      []href `json:"appLinks"`
}

// appJSON is an app's Application object, in the shape of its sign-on mode.
func (a *API) appJSON(app directory.App) any {
	if app.SignOnMode == directory.OIDC {
		return a.oidcAppJSON(app, "")
	}
	return a.samlAppJSON(app)
}

func (a *API) appsJSON(apps []directory.App) []any { return each(apps, a.appJSON) }

// oidcAppJSON is app on the wire, with secret (shown once) when not "".
func (a *API) oidcAppJSON(app directory.App, secret string) oidcAppJSON {
	self := a.cfg.OrgURL + "/api/v1/apps/" + app.ID
	c := app.OAuth
	out := oidcAppJSON{appBaseJSON: appBase(app),
		Credentials: oidcCredsJSON{UserNameTemplate: userNameTemplate{"${source.login}", "BUILT_IN"},
			OAuthClient: oauthCredsJSON{AutoKeyRotation: true, ClientID: app.ID, ClientSecret: secret,
				TokenEndpointAuthMethod: c.TokenEndpointAuthMethod, PKCERequired: c.PKCERequired}},
		Settings: oidcSettingsJSON{App: map[string]string{}, OAuthClient: oauthClientJSON{
			RedirectURIs: list(c.RedirectURIs), PostLogoutRedirectURIs: list(c.PostLogoutRedirectURIs),
			ResponseTypes: list(c.ResponseTypes), GrantTypes: list(c.GrantTypes), ApplicationType: c.ApplicationType,
			ConsentMethod: c.ConsentMethod, IssuerMode: "ORG_URL", InitiateLoginURI: c.InitiateLoginURI, JWKS: jwksOut(c.JWKS)}},
		Links: oidcLinksJSON{Self: href{Href: self}, Users: href{Href: self + "/users"}, Groups: href{Href: self + "/groups"},
			ClientSecrets: href{Href: self + "/credentials/secrets"}, AppLinks: []href{}},
	}
	if app.Status == directory.AppActive {
		out.Links.Deactivate = &href{Href: self + "/lifecycle/deactivate", Method: "POST"}
	} else {
		out.Links.Activate = &href{Href: self + "/lifecycle/activate", Method: "POST"}
	}
	return out
}

// list is s, or [] for nil: Okta's lists are never null.
func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
