package ssooidc

import (
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/errs"
)

// Bounds on an authorization request.
const (
	MaxAuthorizeQuery = 4096 // bytes of the /authorize query
	maxState          = 512
	maxScopesParam    = 25
)

// AuthorizeRequest is an authorization request: the /authorize query, as
// AWS CLI v2 and botocore send it (the scopes go in "scopes",
// space-separated; "scope" is read when "scopes" is absent).
type AuthorizeRequest struct {
	ResponseType    string
	ClientID        string
	RedirectURI     string
	State           string
	CodeChallenge   string
	ChallengeMethod string
	Scopes          []string
	// problem is what is wrong with the query's form (a repeated or
	// oversized parameter), reported at the redirect URI once that is
	// known to be the client's.
	problem string
}

// authorizeParams are the parameters a request is made of, in the order
// Query writes them.
var authorizeParams = []string{"response_type", "client_id", "redirect_uri", "state",
	"code_challenge_method", "code_challenge", "scopes", "scope"}

// ParseAuthorizeRequest reads an authorization request from a raw URL
// query. Only a query too long or not a query at all is an error; every
// other fault is found by Authorization, which knows where to report it.
func ParseAuthorizeRequest(rawQuery string) (AuthorizeRequest, error) {
	if len(rawQuery) > MaxAuthorizeQuery {
		return AuthorizeRequest{}, errs.E(errs.Invalid, "This sign-in link is too long to be read. Start the sign-in again from your terminal.")
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return AuthorizeRequest{}, errs.E(errs.Invalid, "This sign-in link could not be read. Start the sign-in again from your terminal.")
	}
	var r AuthorizeRequest
	get := func(name string) string {
		v := q[name]
		if len(v) > 1 && r.problem == "" {
			r.problem = name + " must not be repeated"
		}
		if len(v) == 0 {
			return ""
		}
		return v[0]
	}
	r.ResponseType, r.ClientID, r.RedirectURI = get("response_type"), get("client_id"), get("redirect_uri")
	r.State, r.CodeChallenge, r.ChallengeMethod = get("state"), get("code_challenge"), get("code_challenge_method")
	scopes := get("scopes")
	if _, ok := q["scopes"]; !ok {
		scopes = get("scope")
	}
	r.Scopes = strings.Fields(scopes)
	switch {
	case r.problem != "":
	case len(r.State) > maxState:
		r.problem = "state is longer than 512 bytes"
	case len(r.Scopes) > maxScopesParam:
		r.problem = "at most 25 scopes are allowed"
	}
	return r, nil
}

// Query is the request as a URL query: what a consent form posts back for
// ParseAuthorizeRequest to read again.
func (r AuthorizeRequest) Query() string {
	q := url.Values{}
	for i, v := range []string{r.ResponseType, r.ClientID, r.RedirectURI, r.State, r.ChallengeMethod, r.CodeChallenge,
		strings.Join(r.Scopes, " ")} {
		if v != "" {
			q.Set(authorizeParams[i], v)
		}
	}
	return q.Encode()
}
