package ssooidc

import (
	"net/http"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
)

// codes maps kinds to SSO-OIDC exception shapes.
var codes = protocol.Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "InvalidRequestException",
		errs.NotFound:        "InvalidGrantException",
		errs.Conflict:        "InvalidRequestException",
		errs.Unauthenticated: "InvalidClientException",
		errs.Denied:          "AccessDeniedException",
		errs.Throttled:       "SlowDownException",
		errs.Internal:        "InternalServerException",
	},
	Status:   map[errs.Kind]int{errs.Internal: http.StatusInternalServerError},
	ByCode:   map[string]int{"InvalidClientException": http.StatusUnauthorized},
	Fallback: "InternalServerException",
}

// oauthError names each exception's OAuth error value.
var oauthError = map[string]string{
	"AuthorizationPendingException":  "authorization_pending",
	"SlowDownException":              "slow_down",
	"ExpiredTokenException":          "expired_token",
	"AccessDeniedException":          "access_denied",
	"InvalidGrantException":          "invalid_grant",
	"InvalidClientException":         "invalid_client",
	"UnauthorizedClientException":    "unauthorized_client",
	"UnsupportedGrantTypeException":  "unsupported_grant_type",
	"InvalidScopeException":          "invalid_scope",
	"InvalidRequestException":        "invalid_request",
	"InvalidClientMetadataException": "invalid_client_metadata",
	"InvalidRedirectUriException":    "invalid_redirect_uri",
	"InternalServerException":        "server_error",
}

// errorBody carries both the AWS shape (__type, message) and the OAuth one
// (error, error_description), as the real service does.
type errorBody struct {
	Type        string `json:"__type"`
	Message     string `json:"message"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := codes.Resolve(r, err)
	w.Header().Set("X-Amzn-ErrorType", p.Code)
	protocol.WriteJSON(w, p.Status, protocol.ContentTypeRESTJSON, errorBody{
		Type: p.Code, Message: p.Message, Error: oauthError[p.Code], Description: p.Message,
	})
}

// oidcError builds an error with an exact SSO-OIDC exception code.
func oidcError(kind errs.Kind, code, msg string) error {
	return errs.E(kind, "%s", msg).WithCode(code)
}
