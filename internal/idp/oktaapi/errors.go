package oktaapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// oktaError is Okta's error object.
type oktaError struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses"`
}

type errorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

// Okta's error codes keyward answers with.
const (
	codeValidation   = "E0000001" // 400
	codeMalformed    = "E0000003" // 400: the body is not JSON
	codeDenied       = "E0000006" // 403
	codeNotFound     = "E0000007" // 404
	codeInternal     = "E0000009" // 500
	codeInvalidToken = "E0000011" // 401
	codeActivation   = "E0000016" // 403: already active
	codeMethod       = "E0000022" // 405
	codeStatus       = "E0000038" // 403: not allowed in the user's status
	codeRateLimit    = "E0000047" // 429
)

// problem is an error's wire form.
type problem struct {
	status  int
	code    string
	summary string
	causes  []string
}

// resolve words err as Okta would. A handler that needs a specific code
// sets errs.Error.Code (and the status follows from the code).
func resolve(err error) problem {
	e, ok := errs.As(err)
	if !ok {
		return problem{http.StatusInternalServerError, codeInternal, "Internal Server Error", nil}
	}
	if e.Code != "" {
		return problem{statusOf[e.Code], e.Code, e.Message, directory.Causes(e)}
	}
	switch e.Kind {
	case errs.Invalid:
		return validation(e)
	case errs.NotFound:
		return problem{404, codeNotFound, "Not found: Resource not found: " + e.ResourceID + " (" + wireResource(e.ResourceType) + ")", nil}
	case errs.Conflict:
		return conflict(e)
	case errs.Unauthenticated:
		return problem{401, codeInvalidToken, "Invalid token provided", nil}
	case errs.Denied:
		return problem{403, codeDenied, "You do not have permission to perform the requested action", nil}
	case errs.Throttled:
		return problem{429, codeRateLimit, "API call exceeded rate limit due to too many requests.", nil}
	}
	return problem{500, codeInternal, "Internal Server Error", nil}
}

var statusOf = map[string]int{
	codeValidation: 400, codeMalformed: 400, codeDenied: 403, codeNotFound: 404,
	codeInternal: 500, codeInvalidToken: 401, codeActivation: 403, codeMethod: 405,
	codeStatus: 403, codeRateLimit: 429,
}

// validation is E0000001 with the causes a schema check listed, or the
// message as the one cause.
func validation(e *errs.Error) problem {
	causes := directory.Causes(e)
	if causes == nil {
		return problem{400, codeValidation, "Api validation failed: " + e.Message, []string{e.Message}}
	}
	var fields []string
	for _, c := range causes {
		f, _, _ := strings.Cut(c, ":")
		fields = append(fields, f)
	}
	return problem{400, codeValidation, "Api validation failed: " + strings.Join(fields, ", "), causes}
}

// conflict words a taken value or a refused status change.
func conflict(e *errs.Error) problem {
	switch e.Reason {
	case directory.ReasonActive:
		return problem{403, codeActivation, "Activation failed because the user is already active", nil}
	case directory.ReasonStatus:
		return problem{403, codeStatus, e.Message, nil}
	}
	if e.ResourceType == store.ResourceClientSecret {
		return secretConflict(e)
	}
	if e.Field == store.FieldStatus {
		what := "app"
		if e.ResourceType == store.ResourceAuthServer {
			what = "authorization server"
		}
		return problem{400, codeValidation, "Api validation failed: status", []string{"status: Deactivate the " + what + " before deleting it"}}
	}
	field := map[string]string{store.FieldLogin: "login", store.FieldName: "name", store.FieldRoleType: "type"}[e.Field]
	if field == "" {
		field = "id"
	}
	cause := field + ": An object with this field already exists in the current organization"
	if e.Field == store.FieldRoleType {
		cause = "The role specified is already assigned to the user."
	}
	return problem{400, codeValidation, "Api validation failed: " + field, []string{cause}}
}

// secretConflict words a refused client-secret change: a third secret,
// deleting an active one, deactivating the last active one.
func secretConflict(e *errs.Error) problem {
	if e.Field == store.FieldClientSecrets {
		return problem{400, codeValidation, "Api validation failed: client_secret",
			[]string{"client_secret: A client can have at most two secrets: deactivate and delete one first"}}
	}
	return problem{400, codeValidation, "Api validation failed: status", []string{"status: " + e.Message}}
}

// wireResource names a store resource as Okta's not-found summary does.
func wireResource(t string) string {
	if n, ok := map[string]string{
		store.ResourceUser: "User", store.ResourceGroup: "UserGroup", store.ResourceRole: "RoleAssignment",
		store.ResourceAPIToken: "ApiToken", store.ResourceFactor: "UserFactor", store.ResourceApp: "AppInstance",
		store.ResourceAppUser: "AppUser", store.ResourceAppGroup: "ApplicationGroupAssignment",
		store.ResourceAuthServer: "AuthorizationServer", store.ResourceClientSecret: "OAuth2ClientSecret",
		"JsonWebKey": "JsonWebKey", "OAuth2Scope": "OAuth2Scope", "OAuth2Claim": "OAuth2Claim",
		"AuthorizationServerPolicy": "AuthorizationServerPolicy", "AuthorizationServerPolicyRule": "AuthorizationServerPolicyRule",
	}[t]; ok {
		return n
	}
	return "Resource"
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := resolve(err)
	if p.status == http.StatusInternalServerError {
		a.cfg.Log.Error("oktaapi: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p problem) {
	body := oktaError{ErrorCode: p.code, ErrorSummary: p.summary, ErrorLink: p.code,
		ErrorID: "oae" + clock.Token(clock.Random, 16), ErrorCauses: []errorCause{}}
	for _, c := range p.causes {
		body.ErrorCauses = append(body.ErrorCauses, errorCause{c})
	}
	writeJSON(w, p.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}
