// Package web serves the pages a person sees on the AWS side: sign-in, the
// device-authorization verification page and the /authorize page of the
// authorization code grant (which client asks, Allow or Deny), and the
// access portal (accounts, roles, short-lived credentials).
// Pages are server-rendered from embedded templates with no external
// assets, behind cross-origin protection, with HttpOnly SameSite cookies.
//
// A page is a function that returns an error. One middleware (signedIn)
// resolves the person's session, and one renderer (errorPage) turns every
// error into an HTML page: a person's mistake or a refusal shows its
// message with its 4xx status; anything else is our failure, logged and
// shown as a 500 page with the request id. The package owns the pages'
// HTML, cookie and routes; it reaches storage only through the services and
// the small interfaces below.
package web

import (
	"context"
	"embed"
	"github.com/keyward/keyward/internal/web/look"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/ssooidc"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// SignIn is the sign-in service the pages use.
type SignIn interface {
	Authenticate(ctx context.Context, userName, password, clientIP string) (ic.User, error)
	StartSession(ctx context.Context, userID string) (string, ic.PortalSession, error)
	StartFederatedSession(ctx context.Context, userID string, ends time.Time, accessControl map[string]string) (string, ic.PortalSession, error)
	Session(ctx context.Context, value string) (ic.PortalSession, ic.User, error)
	EndSession(ctx context.Context, value string) error
}

// Devices is the approval side of the device flow.
type Devices interface {
	Pending(ctx context.Context, userCode, userID, clientIP string) (ssooidc.DeviceRequest, error)
	Decide(ctx context.Context, userCode, userID, sessionHash string, allow bool) error
}

// Authorizations is the browser side of the authorization code grant: the
// /authorize page's checks and decisions.
type Authorizations interface {
	Authorization(ctx context.Context, req ssooidc.AuthorizeRequest) (ssooidc.Consent, error)
	Allow(ctx context.Context, req ssooidc.AuthorizeRequest, userID, sessionHash string) (string, error)
	Deny(ctx context.Context, req ssooidc.AuthorizeRequest) (string, error)
}

// Credentials mints role credentials for a signed-in user.
type Credentials interface {
	RoleCredentials(ctx context.Context, u ic.User, accountID, roleName string) (awsauth.Credentials, error)
}

// Directory answers which accounts and roles a user may use.
type Directory interface {
	store.Entitlements
}

// Pages serves the browser pages.
type Pages struct {
	SignIn  SignIn
	Devices Devices
	// Authorizations, when set, serves /authorize: sign-in in the browser
	// with the authorization code grant.
	Authorizations Authorizations
	Credentials    Credentials
	Directory      Directory
	// Federation, when set, sends people to an external identity provider
	// when the identity source is one, and serves its ACS and the service
	// provider's metadata.
	Federation Federation
	// Console, when set, serves the federation endpoint, the console page
	// and the portal's Management console links.
	Console Console
	// AccountFederation, when set with Console, serves AWS's SAML sign-in
	// at /saml (account federation's console sign-in).
	AccountFederation *AccountFederation
	// StartURL is the access portal URL and Region the SSO region people
	// type into `aws configure sso`.
	StartURL string
	Region   string
	// SecureCookies marks cookies Secure and turns on HSTS (set when the
	// public URL is https).
	SecureCookies   bool
	SessionLifetime time.Duration
	// Log receives the failures behind 500 pages; nil means slog.Default().
	Log *slog.Logger

	tmpl *template.Template
}

// Handler returns the pages behind cross-origin protection.
func (p *Pages) Handler() http.Handler {
	// Every page names the SSO region as the access portal's pages do;
	// `granted sso login` reads it from the start URL's page.
	region := template.FuncMap{"ssoRegion": func() string { return p.Region }}
	p.tmpl = template.Must(template.New("").Funcs(funcs).Funcs(region).ParseFS(templateFS, "templates/*.html"))
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+look.StylesheetPath, look.Stylesheet)
	mux.Handle("GET /start", p.signedIn(p.home))
	mux.Handle("GET /start/{$}", p.signedIn(p.home))
	mux.Handle("POST /start/signin", p.public(p.signIn))
	mux.Handle("POST /start/signout", p.public(p.signOut))
	mux.Handle("GET "+signedOutPath, p.public(p.signedOutPage))
	mux.Handle("GET "+resumePath, p.signedIn(p.resume))
	mux.Handle("GET /start/account/{id}", p.signedIn(p.account))
	mux.Handle("GET /start/credentials", p.signedIn(p.credentials))
	mux.Handle("GET /device", p.signedIn(p.device))
	mux.Handle("POST /device", p.signedIn(p.decide))
	if p.Authorizations != nil {
		mux.Handle("GET "+ssooidc.AuthorizePath, p.signedIn(p.authorize))
		mux.Handle("POST "+ssooidc.AuthorizePath, p.signedIn(p.decideAuthorization))
	}
	if p.Console != nil {
		mux.Handle("GET /federation", p.public(p.federation))
		mux.Handle("GET "+consolePath, p.public(p.consolePage))
		mux.Handle("POST "+consolePath+"/signout", p.public(p.consoleSignOut))
		mux.Handle("GET /start/console", p.signedIn(p.consoleLink))
	}
	if p.Console != nil && p.AccountFederation != nil {
		mux.Handle("POST "+samlSignInPath, p.public(p.samlSignIn))
		mux.Handle("POST "+samlSignInPath+"/role", p.public(p.samlChoice))
	}
	if p.Federation != nil {
		mux.Handle("POST "+acsPattern, p.public(p.acs))
		mux.Handle("GET /platform/saml/metadata/{id}", p.public(p.spMetadata))
	}
	return look.SecureHeaders(p.sameOriginOnly(p.styledFallbacks(mux)), p.SecureCookies)
}

// errCrossOrigin refuses a request another website made the browser send.
var errCrossOrigin = errs.E(errs.Denied, "This request came from another website, so it was refused to protect your account. "+
	"If you meant to do this, open the page on this site and try again.")

// sameOriginOnly refuses, with the error page, a form another website made
// the browser post here (http.CrossOriginProtection decides which).
func (p *Pages) sameOriginOnly(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(p.public(func(http.ResponseWriter, *http.Request) error { return errCrossOrigin }))
	// The identity provider's site posts its Response to the ACS; the
	// signed assertion, not the origin, is what authenticates it.
	cop.AddInsecureBypassPattern("POST " + acsPattern)
	cop.AddInsecureBypassPattern("POST " + samlSignInPath)
	return cop.Handler(next)
}
