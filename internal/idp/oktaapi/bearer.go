package oktaapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// AccessTokens verifies OAuth access tokens of the org authorization
// server (oidc.Provider), which let a person call the few endpoints about
// themselves that Okta opens to them (okta-aws-cli's appLinks).
type AccessTokens interface {
	// VerifyAccessToken returns the person and the granted scopes of a
	// live access token issued by the org authorization server.
	VerifyAccessToken(ctx context.Context, raw string) (userID string, scopes []string, err error)
}

// selfScopes are the operations a person's own access token may call, by
// route pattern, with the scope each needs. The {id} must be "me" or the
// person's own id (readableUser).
var selfScopes = map[string]string{
	"GET /api/v1/users/{id}/appLinks": "okta.users.read.self",
	"GET /api/v1/users/{id}":          "okta.users.read.self",
}

// bearerCaller is the person behind "Authorization: Bearer <access
// token>". Their calls count against a per-person quota.
func (a *API) bearerCaller(r *http.Request, raw string) (*caller, error) {
	if a.cfg.AccessTokens == nil || len(raw) > 16<<10 {
		return nil, errInvalidToken()
	}
	userID, scopes, err := a.cfg.AccessTokens.VerifyAccessToken(r.Context(), raw)
	if err != nil {
		return nil, errInvalidToken()
	}
	u, err := a.cfg.Store.User(r.Context(), userID)
	if errs.Is(err, errs.NotFound) || (err == nil && !u.Status.CanSignIn()) {
		return nil, errInvalidToken()
	}
	if err != nil {
		return nil, err
	}
	return &caller{user: u, scopes: scopes, token: directory.APIToken{ID: "oauth2:" + u.ID}}, nil
}

// allowBearer refuses an operation a person's access token does not open.
func allowBearer(r *http.Request, c *caller) error {
	if c.scopes == nil {
		return nil
	}
	need, ok := selfScopes[r.Method+" "+r.Pattern]
	if !ok || !slices.Contains(c.scopes, need) {
		return errs.E(errs.Denied, "The access token does not grant this operation.")
	}
	return nil
}
