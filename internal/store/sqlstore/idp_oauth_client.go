package sqlstore

import (
	"strings"
	"unicode"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// Bounds on what an OIDC app's client settings may hold: generous for any
// real client, small enough that reading an app stays cheap.
const (
	maxOAuthList  = 100      // redirect URIs, grant types, ...
	maxOAuthText  = 2048     // one URI or name
	maxOAuthJWKS  = 64 << 10 // the client's public keys
	oauthSettings = "an OIDC app's client settings"
)

// checkOAuthClient refuses client settings the store cannot keep as given:
// too many or too long values, control characters, invalid UTF-8, an
// oversized key set.
func checkOAuthClient(c directory.OAuthClient) error {
	if len(c.JWKS) > maxOAuthJWKS {
		return errs.E(errs.Invalid, "%s: the JWKS must be at most %d bytes", oauthSettings, maxOAuthJWKS)
	}
	lists := [][]string{c.GrantTypes, c.ResponseTypes, c.RedirectURIs, c.PostLogoutRedirectURIs}
	texts := []string{c.ApplicationType, c.InitiateLoginURI, c.TokenEndpointAuthMethod, c.ConsentMethod, c.SecretHash}
	for _, l := range lists {
		if len(l) > maxOAuthList {
			return errs.E(errs.Invalid, "%s: a list must have at most %d values", oauthSettings, maxOAuthList)
		}
		texts = append(texts, l...)
	}
	for _, t := range texts {
		if err := checkOAuthText(t); err != nil {
			return err
		}
	}
	return nil
}

// checkOAuthText refuses one value that is too long or not printable text.
func checkOAuthText(s string) error {
	if len(s) > maxOAuthText {
		return errs.E(errs.Invalid, "%s: a value must be at most %d bytes", oauthSettings, maxOAuthText)
	}
	if err := checkText([]any{s}); err != nil {
		return err
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return errs.E(errs.Invalid, "%s: a value must not hold control characters", oauthSettings)
	}
	return nil
}
