package oidc

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
)

// metadata is the server's discovery document (OpenID Connect Discovery
// 1.0, RFC 8414), listing only what keyward serves.
type metadata struct {
	Issuer                        string   `json:"issuer"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	UserinfoEndpoint              string   `json:"userinfo_endpoint"`
	IntrospectionEndpoint         string   `json:"introspection_endpoint"`
	RevocationEndpoint            string   `json:"revocation_endpoint"`
	EndSessionEndpoint            string   `json:"end_session_endpoint"`
	JWKSURI                       string   `json:"jwks_uri"`
	DeviceAuthorizationEndpoint   string   `json:"device_authorization_endpoint"`
	ResponseTypesSupported        []string `json:"response_types_supported"`
	ResponseModesSupported        []string `json:"response_modes_supported"`
	SubjectTypesSupported         []string `json:"subject_types_supported"`
	IDTokenSigningAlgs            []string `json:"id_token_signing_alg_values_supported"`
	ScopesSupported               []string `json:"scopes_supported"`
	GrantTypesSupported           []string `json:"grant_types_supported"`
	TokenEndpointAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgs  []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	ClaimsSupported               []string `json:"claims_supported"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
	// Request objects are refused (request_not_supported); omitted,
	// request_uri_parameter_supported would mean true (Discovery §3).
	RequestParameterSupported    bool `json:"request_parameter_supported"`
	RequestURIParameterSupported bool `json:"request_uri_parameter_supported"`
}

// signingAlgs are the algorithms client assertions may use.
var signingAlgs = []string{"RS256", "ES256"}

func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	s, err := p.server(r)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, metadata{
		Issuer: s.issuer, AuthorizationEndpoint: s.endpoint("authorize"), TokenEndpoint: s.endpoint("token"),
		UserinfoEndpoint: s.endpoint("userinfo"), IntrospectionEndpoint: s.endpoint("introspect"),
		RevocationEndpoint: s.endpoint("revoke"), EndSessionEndpoint: s.endpoint("logout"), JWKSURI: s.endpoint("keys"),
		DeviceAuthorizationEndpoint: s.endpoint("device/authorize"),
		ResponseTypesSupported:      []string{"code"}, ResponseModesSupported: []string{"query"},
		SubjectTypesSupported: []string{"public"},
		IDTokenSigningAlgs:    []string{directory.KeyAlgRS256}, ScopesSupported: s.scopes(),
		GrantTypesSupported: grantNames(),
		TokenEndpointAuthMethods: []string{directory.AuthClientSecretBasic, directory.AuthClientSecretPost,
			directory.AuthPrivateKeyJWT, directory.AuthNone},
		TokenEndpointAuthSigningAlgs: signingAlgs,
		ClaimsSupported: []string{"iss", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce",
			"name", "preferred_username", "email", "email_verified", "ver", "at_hash", "cid", "uid", "scp"},
		CodeChallengeMethodsSupported: []string{"S256"},
	})
}
