package directory

import (
	"slices"
	"testing"
)

func TestARefreshTokensScopesAreItsOwnOrElseTheAccessTokens(t *testing.T) {
	full := []string{"openid", "profile", "offline_access"}
	for _, c := range []struct {
		name string
		tok  OAuthToken
		want []string
	}{
		{"a token stored before refresh scopes were kept has its access token's", OAuthToken{Scopes: full}, full},
		{"a narrowed access token's refresh token keeps the whole grant", OAuthToken{Scopes: []string{"openid"}, RefreshScopes: full}, full},
		{"a token with no scopes has none", OAuthToken{}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.tok.GrantedScopes(); !slices.Equal(got, c.want) {
				t.Errorf("GrantedScopes() = %v, want %v", got, c.want)
			}
		})
	}
}
