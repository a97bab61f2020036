package samlidp

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// A request waiting for its person to sign in is parked in a sealed cookie
// of its own (any replica can resume it; several tabs do not clash), named
// by a nonce the resume URL carries. It lives as long as a sign-in may.
const (
	parkedPrefix   = "keyward_saml_"
	parkedLifetime = 10 * time.Minute
	maxParked      = 3 << 10
)

// parked is a checked AuthnRequest, or an IdP-initiated sign-in's relay
// state.
type parked struct {
	AppID      string    `json:"a"`
	ID         string    `json:"i,omitempty"`
	RelayState string    `json:"r,omitempty"`
	Binding    string    `json:"b,omitempty"`
	Expires    time.Time `json:"e"`
	// AuthnAfter is a ForceAuthn request's AuthnAfter, in Unix seconds.
	AuthnAfter int64 `json:"f,omitempty"`
	IsPassive  bool  `json:"p,omitempty"`
}

func errParkedGone() error {
	return errs.E(errs.Invalid, "Your sign-in to this app took too long or was interrupted. Open the app again to start over.")
}

// park keeps req in a cookie and returns the URL that resumes it.
func (h *Handler) park(w http.ResponseWriter, app directory.App, req AuthnRequest) string {
	nonce := clock.Hex(h.Random, 12)
	p := parked{AppID: app.ID, ID: req.ID, RelayState: req.RelayState, Binding: req.Binding,
		Expires: h.Clock.Now().Add(parkedLifetime), IsPassive: req.IsPassive}
	if req.ForceAuthn {
		p.AuthnAfter = req.AuthnAfter.Unix()
	}
	b, _ := json.Marshal(p)
	sealed := base64.RawURLEncoding.EncodeToString(h.parked.Seal(b, []byte(nonce)))
	path := SSOPath(app)
	h.setCookie(w, parkedPrefix+nonce, path, sealed, int(parkedLifetime.Seconds()))
	return path + "?resume=" + nonce
}

// unpark takes back the request parked under nonce for app, and forgets it.
func (h *Handler) unpark(r *http.Request, app directory.App, nonce string) (AuthnRequest, error) {
	if len(nonce) != 24 || strings.Trim(nonce, "0123456789abcdef") != "" {
		return AuthnRequest{}, errParkedGone()
	}
	c, err := r.Cookie(parkedPrefix + nonce)
	if err != nil || len(c.Value) > maxParked {
		return AuthnRequest{}, errParkedGone()
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return AuthnRequest{}, errParkedGone()
	}
	b, err := h.parked.Open(raw, []byte(nonce))
	var p parked
	if err != nil || json.Unmarshal(b, &p) != nil || p.AppID != app.ID || !h.Clock.Now().Before(p.Expires) {
		return AuthnRequest{}, errParkedGone()
	}
	req := AuthnRequest{ID: p.ID, RelayState: p.RelayState, Binding: p.Binding, IsPassive: p.IsPassive}
	if p.AuthnAfter != 0 {
		req.ForceAuthn, req.AuthnAfter = true, time.Unix(p.AuthnAfter, 0)
	}
	return req, nil
}

// SSOPath is app's SSO endpoint path on the org URL: where a dashboard
// tile links to start an IdP-initiated sign-in.
func SSOPath(app directory.App) string { return "/app/" + app.Name + "/" + app.ID + "/sso/saml" }

// setCookie sets an HttpOnly, SameSite=Lax cookie on path; maxAge < 0
// deletes it.
func (h *Handler) setCookie(w http.ResponseWriter, name, path, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}
