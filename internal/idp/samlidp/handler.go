package samlidp

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// Apps is what sign-in needs to know of apps (store.Apps answers it).
type Apps interface {
	App(ctx context.Context, id string) (directory.App, error)
	// AppUser is the person's effective assignment; none is errs.NotFound.
	AppUser(ctx context.Context, appID, userID string) (directory.AppUser, error)
}

// Directory is what an assertion and the sign-on policy need of the
// directory, and where events go (store.IdP answers it).
type Directory interface {
	UserGroups(ctx context.Context, userID string) ([]directory.Group, error)
	Factors(ctx context.Context, userID string) ([]directory.Factor, error)
	SignOnPolicies(ctx context.Context) ([]directory.SignOnPolicy, error)
	AppendEvent(ctx context.Context, e audit.Event) error
}

// SignIn is the org's sign-in (orgsignin.Service): the session behind
// the cookie, and the sealed state that enters the second-factor step.
type SignIn interface {
	Session(ctx context.Context, value string) (directory.Session, directory.User, error)
	Seal(st orgsignin.State) string
}

// Keys are the SAML signing keys (keys.SigningKeys).
type Keys interface {
	Active(ctx context.Context) (keys.Signer, error)
	Published(ctx context.Context) ([]directory.SigningKey, error)
}

// Config is the handler's dependencies.
type Config struct {
	OrgURL    string // no trailing slash
	Master    []byte // derives the NameID key and seals parked requests
	Apps      Apps
	Directory Directory
	SignIn    SignIn
	Keys      Keys
	// WebSSO, when set, serves /login/token/sso.
	WebSSO WebSSO
	Clock  clock.Clock
	Random io.Reader
	// SecureCookies marks cookies Secure (an https org URL).
	SecureCookies bool
	Log           *slog.Logger // nil: slog.Default()
}

// Handler serves the SSO endpoint, the metadata and the auto-post script.
type Handler struct {
	Config
	Issuer *Issuer
	parked *keys.Sealer
}

// New returns the handler for cfg.
func New(cfg Config) (*Handler, error) {
	nameIDKey, err := hkdf.Key(sha256.New, cfg.Master, nil, "keyward saml persistent nameid", 32)
	if err != nil {
		return nil, err
	}
	parked, err := keys.NewSealer(cfg.Master, "saml parked request", cfg.Random)
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Handler{Config: cfg, parked: parked,
		Issuer: &Issuer{OrgURL: cfg.OrgURL, Random: cfg.Random, NameIDKey: nameIDKey}}, nil
}

// Routes mounts the SSO endpoint, Okta's metadata path and the script on
// mux. The SSO endpoint must not sit behind cross-origin protection: the
// HTTP-POST binding is a form another site posts.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+ssoPattern, h.ServeSSO)
	mux.HandleFunc("POST "+ssoPattern, h.ServeSSO)
	mux.HandleFunc("GET /api/v1/apps/{id}/sso/saml/metadata", h.ServeMetadata)
	mux.HandleFunc("GET "+ScriptPath, ServeScript)
	mux.HandleFunc("GET "+WebSSOPath, h.ServeWebSSO)
	mux.HandleFunc("POST "+WebSSOPath, h.ServeWebSSO)
}

const ssoPattern = "/app/{name}/{id}/sso/saml"

// samlApp is the SAML app id names.
func (h *Handler) samlApp(r *http.Request, id string) (directory.App, error) {
	app, err := h.Apps.App(r.Context(), id)
	if errs.Is(err, errs.NotFound) || (err == nil && app.SignOnMode != directory.SAML2) {
		return app, errs.E(errs.NotFound, "There is no SAML app with the id %s.", quote(id))
	}
	return app, err
}
