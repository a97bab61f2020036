package oktaapi

import (
	"io"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// serverBody is an AuthorizationServer in a create or replace request.
type serverBody struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Audiences   []string `json:"audiences"`
	IssuerMode  string   `json:"issuerMode"`
}

// Bounds on a server's text.
const (
	maxServerName = 100
	maxServerText = 1024
)

// server checks the body as Okta does: a name, one audience (Okta takes
// only one), and the org URL as issuer.
func (b serverBody) server() (directory.AuthServer, error) {
	var c causes
	name := strings.TrimSpace(b.Name)
	switch {
	case name == "":
		c.add("name", "The field cannot be left blank")
	case !printable(name) || len([]rune(name)) > maxServerName:
		c.add("name", "Must be text of at most 100 characters")
	}
	if !validText(b.Description) || len(b.Description) > maxServerText {
		c.add("description", "Must be text of at most 1024 characters")
	}
	switch {
	case len(b.Audiences) != 1:
		c.add("audiences", "Give exactly one audience (Okta supports one)")
	case b.Audiences[0] == "" || !printable(b.Audiences[0]) || len(b.Audiences[0]) > maxServerText:
		c.add("audiences", "The audience must be text of 1 to 1024 characters, such as api://default")
	}
	if b.IssuerMode != "" && b.IssuerMode != "ORG_URL" {
		c.add("issuerMode", "keyward issues from the org URL only (ORG_URL)")
	}
	return directory.AuthServer{Name: name, Description: b.Description, Audiences: b.Audiences}, c.err()
}

// serverJSON is Okta's AuthorizationServer.
type serverJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Audiences   []string        `json:"audiences"`
	Issuer      string          `json:"issuer"`
	IssuerMode  string          `json:"issuerMode"`
	Status      string          `json:"status"`
	Created     string          `json:"created"`
	LastUpdated string          `json:"lastUpdated"`
	Credentials serverCredsJSON `json:"credentials"`
	Links       serverLinksJSON `json:"_links"`
}

type serverCredsJSON struct {
	Signing struct {
		RotationMode string `json:"rotationMode"`
		Use          string `json:"use"`
	} `json:"signing"`
}

type serverLinksJSON struct {
	Self       href   `json:"self"`
	Scopes     href   `json:"scopes"`
	Claims     href   `json:"claims"`
	Policies   href   `json:"policies"`
	Keys       href   `json:"keys"`
	Metadata   []href `json:"metadata"`
	Activate   *href  `json:"activate,omitempty"`
	Deactivate *href  `json:"deactivate,omitempty"`
}

// Issuer is the issuer of a custom server's tokens: <org>/oauth2/<id>.
func Issuer(orgURL, serverID string) string { return orgURL + "/oauth2/" + serverID }

func (a *API) serverJSON(s directory.AuthServer) serverJSON {
	self := a.cfg.OrgURL + "/api/v1/authorizationServers/" + s.ID
	issuer := Issuer(a.cfg.OrgURL, s.ID)
	out := serverJSON{ID: s.ID, Name: s.Name, Description: s.Description, Audiences: list(s.Audiences),
		Issuer: issuer, IssuerMode: "ORG_URL", Status: string(s.Status), Created: formatTime(s.Created),
		LastUpdated: formatTime(s.LastUpdated),
		Links: serverLinksJSON{Self: href{Href: self}, Scopes: href{Href: self + "/scopes"}, Claims: href{Href: self + "/claims"},
			Policies: href{Href: self + "/policies"}, Keys: href{Href: issuer + "/v1/keys"},
			Metadata: []href{{Href: issuer + "/.well-known/openid-configuration"}, {Href: issuer + "/.well-known/oauth-authorization-server"}}},
	}
	out.Credentials.Signing.RotationMode, out.Credentials.Signing.Use = "AUTO", "sig"
	if s.Status == directory.AppActive {
		out.Links.Deactivate = &href{Href: self + "/lifecycle/deactivate", Method: "POST"}
	} else {
		out.Links.Activate = &href{Href: self + "/lifecycle/activate", Method: "POST"}
	}
	return out
}

// systemScopes are the OpenID Connect scopes every server has.
var systemScopes = []struct{ name, description string }{
	{"openid", "Signals that a request is an OpenID request."},
	{"profile", "Allows this application to access your profile information."},
	{"email", "Allows this application to access your email address."},
	{"address", "Allows this application to access your address."},
	{"phone", "Allows this application to access your phone number."},
	{"offline_access", "Allows this application to keep you signed in."},
	{"device_sso", "Allows this application to sign you in on other devices."},
}

// SystemScopes returns a new server's OpenID Connect scopes, with fresh ids.
func SystemScopes(r io.Reader) []directory.AuthScope {
	out := make([]directory.AuthScope, 0, len(systemScopes))
	for _, s := range systemScopes {
		out = append(out, directory.AuthScope{ID: directory.NewScopeID(r), Name: s.name, Description: s.description,
			Consent: "IMPLICIT", System: true})
	}
	return out
}

// DefaultServer is the "default" custom authorization server an org starts
// with, as Okta's: audience api://default and a default policy for every
// client whose rule lets everyone use every grant and scope.
func DefaultServer(r io.Reader, now time.Time) directory.AuthServer {
	return directory.AuthServer{ID: directory.DefaultAuthServer, Name: "default",
		Description: "Default Authorization Server for your Applications", Audiences: []string{"api://default"},
		Status: directory.AppActive, Created: now, LastUpdated: now, Scopes: SystemScopes(r),
		Policies: []directory.AuthPolicy{{ID: directory.NewPolicyID(r), Name: "Default Policy",
			Description: "Default policy description", Status: directory.AppActive, Priority: 1,
			Clients: []string{directory.AllClients},
			Rules: []directory.AuthRule{{ID: directory.NewRuleID(r), Name: "Default Policy Rule",
				Status: directory.AppActive, Priority: 1, GrantTypes: []string{directory.GrantAuthorizationCode,
					directory.GrantClientCredentials, directory.GrantImplicit, directory.GrantPassword,
					directory.GrantDeviceCode, directory.GrantTokenExchange},
				Scopes: []string{"*"}, Everyone: true, AccessTokenLifetime: time.Hour,
				RefreshTokenWindow: 7 * 24 * time.Hour}}}},
	}
}
