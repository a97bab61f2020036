// Package orgpages serves the pages a person sees at the identity
// provider's org URL: sign-in (username, password, then a second factor or
// an enrolment when their policy asks), the expired-password step, the
// activation and reset links, and their dashboard at /app/UserHome
// (profile, groups, factors and security keys, password, sessions, apps).
// The one script, static/webauthn.js, runs the browser's side of a
// security key; everything else works without JavaScript.
//
// Pages are server-rendered from embedded templates in the shared look
// (package web/look), behind cross-origin protection, with HttpOnly
// SameSite cookies: the session's, and a sealed one carrying a sign-in
// between steps. The package owns routes, cookies and HTML; the sign-in
// rules belong to authn/orgsignin and storage is reached only through the
// small interfaces below.
package orgpages

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/web/look"
)

//go:embed templates/*.html
var templateFS embed.FS

// SignIn is the sign-in service the pages use.
type SignIn interface {
	Seal(st orgsignin.State) string
	Open(v string) (orgsignin.State, error)
	Password(ctx context.Context, st orgsignin.State, pw, clientIP string) (orgsignin.State, error)
	ReplaceExpired(ctx context.Context, st orgsignin.State, pw string) (orgsignin.State, error)
	VerifyTOTP(ctx context.Context, userID, code string) error
	BeginTOTP(ctx context.Context, u directory.User) (orgsignin.Enrollment, error)
	Enrollment(ctx context.Context, u directory.User, factorID string) (orgsignin.Enrollment, error)
	ConfirmTOTP(ctx context.Context, userID, factorID, code string) error
	StartSession(ctx context.Context, st orgsignin.State, clientIP, userAgent string) (string, directory.Session, error)
	Session(ctx context.Context, value string) (directory.Session, directory.User, error)
	EndSession(ctx context.Context, value string) error
	// StepUp is the second factor a session must add for a page that
	// needs the assurance the person's policy requires.
	StepUp(ctx context.Context, u directory.User, ss directory.Session, next string) (orgsignin.State, bool, error)
	LinkUser(ctx context.Context, token string, purpose directory.UserTokenPurpose) (directory.User, error)
	UseLink(ctx context.Context, token string, purpose directory.UserTokenPurpose, pw string) (directory.User, error)
	ChangePassword(ctx context.Context, u directory.User, old, pw string) (directory.User, error)
	SecurityKeys() bool
	BeginWebAuthn(ctx context.Context, u directory.User) ([]byte, string, error)
	FinishWebAuthn(ctx context.Context, u directory.User, session, response, name string) (directory.Factor, error)
	BeginWebAuthnLogin(ctx context.Context, userID string) ([]byte, string, error)
	VerifyWebAuthn(ctx context.Context, userID, session, response string) error
}

// Directory is what the dashboard reads and the person may change.
type Directory interface {
	User(ctx context.Context, id string) (directory.User, error)
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	Factors(ctx context.Context, userID string) ([]directory.Factor, error)
	DeleteFactor(ctx context.Context, userID, factorID string) error
	ListIdPSessions(ctx context.Context, userID string) ([]directory.Session, error)
	EndIdPSession(ctx context.Context, idHash string) error
	// UserApps lists the apps the person is assigned to, by label.
	UserApps(ctx context.Context, userID string) ([]directory.App, error)
}

// Pages serves the org URL's pages.
type Pages struct {
	SignIn    SignIn
	Directory Directory
	// Devices, when set, serves the device-authorization page (/activate).
	Devices Devices
	// SecureCookies marks cookies Secure and turns on HSTS (set when the
	// org URL is https).
	SecureCookies bool
	// Log receives the failures behind 500 pages; nil means slog.Default().
	Log *slog.Logger

	tmpl *template.Template
}

// Handler returns the pages behind cross-origin protection.
func (p *Pages) Handler() http.Handler {
	p.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+look.StylesheetPath, look.Stylesheet)
	mux.HandleFunc("GET "+webauthnJSPath, serveWebAuthnJS)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, homePath, http.StatusSeeOther)
	})
	p.signInRoutes(mux)
	p.dashboardRoutes(mux)
	p.linkRoutes(mux)
	p.activateRoutes(mux)
	mux.Handle("/", p.public(func(http.ResponseWriter, *http.Request) error { return errNoPage }))
	return look.SecureHeaders(p.sameOriginOnly(mux), p.SecureCookies)
}

var errNoPage = errs.E(errs.NotFound, "There is no page at this address.")

// errCrossOrigin refuses a request another website made the browser send.
var errCrossOrigin = errs.E(errs.Denied, "This request came from another website, so it was refused to protect your account. "+
	"If you meant to do this, open the page on this site and try again.")

func (p *Pages) sameOriginOnly(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(p.public(func(http.ResponseWriter, *http.Request) error { return errCrossOrigin }))
	return cop.Handler(next)
}

func (p *Pages) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
