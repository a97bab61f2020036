package oktaapi

import (
	"encoding/base64"
	"time"

	"github.com/keyward/keyward/internal/directory"
)

// appBaseJSON is what every Application object has, whatever its sign-on
// mode.
type appBaseJSON struct {
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Label         string            `json:"label"`
	Status        string            `json:"status"`
	Created       string            `json:"created"`
	LastUpdated   string            `json:"lastUpdated"`
	SignOnMode    string            `json:"signOnMode"`
	Features      []string          `json:"features"`
	Accessibility accessibilityJSON `json:"accessibility"`
	Visibility    visibilityJSON    `json:"visibility"`
}

func appBase(app directory.App) appBaseJSON {
	return appBaseJSON{ID: app.ID, Name: app.Name, Label: app.Label, Status: string(app.Status),
		Created: formatTime(app.Created), LastUpdated: formatTime(app.LastUpdated), SignOnMode: string(app.SignOnMode),
		Features: features(app), Visibility: visibilityJSON{AppLinks: map[string]bool{app.Name + "_link": true}}}
}

// appJSON is Okta's Application object for a SAML 2.0 app.
type appJSON struct {
	appBaseJSON
	Credentials appCredentials  `json:"credentials"`
	Settings    appSettingsJSON `json:"settings"`
	Links       appLinksJSON    `json:"_links"`
}

type accessibilityJSON struct {
	SelfService      bool    `json:"selfService"`
	ErrorRedirectURL *string `json:"errorRedirectUrl"`
	LoginRedirectURL *string `json:"loginRedirectUrl"`
}

type visibilityJSON struct {
	AutoSubmitToolbar bool            `json:"autoSubmitToolbar"`
	Hide              hideJSON        `json:"hide"`
	AppLinks          map[string]bool `json:"appLinks"`
}

type hideJSON struct {
	IOS bool `json:"iOS"`
	Web bool `json:"web"`
}

type appCredentials struct {
	UserNameTemplate userNameTemplate `json:"userNameTemplate"`
	Signing          signingJSON      `json:"signing"`
}

type userNameTemplate struct {
	Template string `json:"template"`
	Type     string `json:"type"`
}

// signingJSON names the key the app's assertions are signed with; empty
// until a key source is configured (Config.SigningKeyID).
type signingJSON struct {
	Kid string `json:"kid,omitempty"`
}

type appSettingsJSON struct {
	App    map[string]string `json:"app"`
	Notes  notesJSON         `json:"notes"`
	SignOn signOnJSON        `json:"signOn"`
}

type notesJSON struct {
	Admin   *string `json:"admin"`
	Enduser *string `json:"enduser"`
}

// signOnJSON is Okta's SamlApplicationSettingsSignOn. On input the
// pointers tell a field left out from one set to its zero value.
type signOnJSON struct {
	DefaultRelayState     string          `json:"defaultRelayState"`
	SSOAcsURL             string          `json:"ssoAcsUrl"`
	IdpIssuer             string          `json:"idpIssuer"`
	Audience              string          `json:"audience"`
	Recipient             string          `json:"recipient"`
	Destination           string          `json:"destination"`
	SubjectNameIDTemplate string          `json:"subjectNameIdTemplate"`
	SubjectNameIDFormat   string          `json:"subjectNameIdFormat"`
	ResponseSigned        *bool           `json:"responseSigned"`
	AssertionSigned       *bool           `json:"assertionSigned"`
	SignatureAlgorithm    string          `json:"signatureAlgorithm"`
	DigestAlgorithm       string          `json:"digestAlgorithm"`
	HonorForceAuthn       bool            `json:"honorForceAuthn"`
	AuthnContextClassRef  string          `json:"authnContextClassRef"`
	RequestCompressed     bool            `json:"requestCompressed"`
	AllowMultipleAcs      bool            `json:"allowMultipleAcsEndpoints"`
	AcsEndpoints          []struct{}      `json:"acsEndpoints"`
	AssertionLifetime     *int64          `json:"samlAssertionLifetimeSeconds,omitempty"`
	SPCertificate         *spCertJSON     `json:"spCertificate"`
	AttributeStatements   []attrStatement `json:"attributeStatements"`
}

type spCertJSON struct {
	X5C []string `json:"x5c"`
}

type attrStatement struct {
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	Namespace   string   `json:"namespace"`
	Values      []string `json:"values,omitempty"`
	FilterType  string   `json:"filterType,omitempty"`
	FilterValue string   `json:"filterValue,omitempty"`
}

type appLinksJSON struct {
	Self       href       `json:"self"`
	Activate   *href      `json:"activate,omitempty"`
	Deactivate *href      `json:"deactivate,omitempty"`
	Users      href       `json:"users"`
	Groups     href       `json:"groups"`
	Metadata   typedHref  `json:"metadata"`
	AppLinks   []appLinkH `json:"appLinks"`
}

type typedHref struct {
	Href string `json:"href"`
	Type string `json:"type"`
}

type appLinkH struct {
	Name string `json:"name"`
	Href string `json:"href"`
	Type string `json:"type"`
}

// The algorithms keyward signs with. Okta also offers SHA-1, which AWS
// and keyward refuse.
const (
	rsaSHA256    = "RSA_SHA256"
	digestSHA256 = "SHA256"
)

// ssoPath is where a person starts IdP-initiated sign-in to the app (the
// SAML identity provider serves it).
func ssoPath(a directory.App) string { return "/app/" + a.Name + "/" + a.ID + "/sso/saml" }

// samlAppJSON is a SAML 2.0 app on the wire.
func (a *API) samlAppJSON(app directory.App) appJSON {
	self := a.cfg.OrgURL + "/api/v1/apps/" + app.ID
	out := appJSON{appBaseJSON: appBase(app),
		Credentials: appCredentials{UserNameTemplate: userNameTemplate{"${source.login}", "BUILT_IN"}},
		Settings:    appSettingsJSON{App: publicSettings(app.Settings), SignOn: signOnOut(app.SAML)},
		Links: appLinksJSON{Self: href{Href: self}, Users: href{Href: self + "/users"}, Groups: href{Href: self + "/groups"},
			Metadata: typedHref{self + "/sso/saml/metadata", "application/xml"},
			AppLinks: []appLinkH{{Name: app.Name + "_link", Href: a.cfg.OrgURL + ssoPath(app), Type: "text/html"}}},
	}
	if out.Settings.App == nil {
		out.Settings.App = map[string]string{}
	}
	if a.cfg.SigningKeyID != nil {
		out.Credentials.Signing.Kid = a.cfg.SigningKeyID(app)
	}
	if app.Status == directory.AppActive {
		out.Links.Deactivate = &href{Href: self + "/lifecycle/deactivate", Method: "POST"}
	} else {
		out.Links.Activate = &href{Href: self + "/lifecycle/activate", Method: "POST"}
	}
	return out
}

// features are Okta's provisioning features, on when the app provisions.
func features(app directory.App) []string {
	if !app.Provisioning.Enabled {
		return []string{}
	}
	return []string{"GROUP_PUSH", "PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "PUSH_USER_DEACTIVATION"}
}

func signOnOut(s directory.SAMLSettings) signOnJSON {
	t, f := s.ResponseSigned, s.AssertionSigned
	out := signOnJSON{DefaultRelayState: s.DefaultRelayState, SSOAcsURL: s.ACSURL, IdpIssuer: "http://www.okta.com/${org.externalKey}",
		Audience: s.Audience, Recipient: s.Recipient, Destination: s.Destination, SubjectNameIDTemplate: s.NameIDTemplate,
		SubjectNameIDFormat: s.NameIDFormat, ResponseSigned: &t, AssertionSigned: &f, SignatureAlgorithm: rsaSHA256,
		DigestAlgorithm: digestSHA256, AuthnContextClassRef: s.AuthnContextClassRef, AcsEndpoints: []struct{}{},
		AttributeStatements: []attrStatement{}, HonorForceAuthn: true} // samlidp always honours it
	if s.AssertionLifetime > 0 {
		secs := int64(s.AssertionLifetime / time.Second)
		out.AssertionLifetime = &secs
	}
	if len(s.SPCertificates) > 0 {
		out.SPCertificate = &spCertJSON{}
		for _, der := range s.SPCertificates {
			out.SPCertificate.X5C = append(out.SPCertificate.X5C, base64.StdEncoding.EncodeToString(der))
		}
	}
	for _, at := range s.Attributes {
		out.AttributeStatements = append(out.AttributeStatements, attrStatement{Type: at.Type, Name: at.Name,
			Namespace: at.Namespace, Values: at.Values, FilterType: at.FilterType, FilterValue: at.FilterValue})
	}
	return out
}
