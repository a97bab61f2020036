package orgpages

import (
	_ "embed"
	"html/template"
	"net/http"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/httpx"
)

//go:embed static/webauthn.js
var webauthnJS []byte

// webauthnJSPath is where pages that use a security key load the script
// that asks the browser for a credential (the CSP allows 'self' scripts).
const webauthnJSPath = "/static/webauthn.js"

// maxKeyForm bounds a form carrying a security key's answer (at most 64
// KiB, checked again by orgsignin) and its sealed session.
const maxKeyForm = 128 << 10

func serveWebAuthnJS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(webauthnJS)
}

// keyCeremony is a WebAuthn ceremony a page carries: the options for the
// browser (JSON with <, > and & escaped, so it may sit in a script
// element as it is) and the sealed session the form posts back.
type keyCeremony struct {
	Options template.JS
	Session string
}

// factorChoices fills the factor step: the code field when the person has
// an authenticator app, and a security-key check when they have a key.
func (p *Pages) factorChoices(r *http.Request, st orgsignin.State, d *loginData) error {
	factors, err := p.Directory.Factors(r.Context(), st.UserID)
	if err != nil {
		return err
	}
	hasKey := false
	for _, f := range activeOnly(factors) {
		d.HasTOTP = d.HasTOTP || f.Type == directory.FactorTOTP
		hasKey = hasKey || f.Type == directory.FactorWebAuthn
	}
	if !hasKey || !p.SignIn.SecurityKeys() {
		d.HasTOTP = true // nothing else to offer
		return nil
	}
	opts, session, err := p.SignIn.BeginWebAuthnLogin(r.Context(), st.UserID)
	if err != nil {
		return err
	}
	d.Key = &keyCeremony{Options: template.JS(opts), Session: session}
	return nil
}

// keyRegistration is the ceremony of the dashboard's "Add a security key".
func (p *Pages) keyRegistration(r *http.Request, u directory.User) (*keyCeremony, error) {
	opts, session, err := p.SignIn.BeginWebAuthn(r.Context(), u)
	if err != nil {
		return nil, err
	}
	return &keyCeremony{Options: template.JS(opts), Session: session}, nil
}

// addKey registers the security key the browser answered with.
func (p *Pages) addKey(w http.ResponseWriter, r *http.Request, s session) error {
	if err := readFormMax(w, r, maxKeyForm); err != nil {
		return err
	}
	f := r.PostForm
	_, err := p.SignIn.FinishWebAuthn(httpx.AuditContext(r), s.User, f.Get("session"), f.Get("response"), f.Get("name"))
	return p.afterAction(w, r, s, err, "Your security key is added.")
}
