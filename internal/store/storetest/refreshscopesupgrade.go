package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/store"
)

// LegacyTokenApp and LegacyToken are an OIDC app and a token of it with a
// refresh token, as databases held them before refresh tokens kept scopes
// of their own (migration 00024), in SQL both backends accept ($1 of
// LegacyTokenApp is LegacyAppToken). A backend's upgrade test runs them on
// a database migrated to 00023, then calls CheckUpgradedToken; after a
// migration down and up again, it calls CheckUpgradedToken again.
const (
	LegacyTokenApp = `INSERT INTO idp_apps (id, name, label, sign_on_mode, status, created, last_updated, saml, settings,
	scim_enabled, scim_url, scim_token, oauth) VALUES
	('0oaLegacyTok', 'oidc_client', 'CLI', 'OPENID_CONNECT', 'ACTIVE', 1, 1, '{}', '{}', 0, '', $1,
	 '{"ApplicationType":"native","GrantTypes":["authorization_code","refresh_token"],"TokenEndpointAuthMethod":"none"}')`
	LegacyToken = `INSERT INTO idp_oauth_tokens (access_hash, refresh_hash, family_id, auth_server_id, client_id,
	user_id, session_hash, scopes, amr, auth_time, created_at, expires_at, refresh_expires_at) VALUES
	('legacy-access', 'legacy-refresh', 'legacy-family', '', '0oaLegacyTok', NULL, 'legacy-session',
	 '["openid","offline_access"]', '["pwd"]', 1, 1, 2, 0)`
)

// CheckUpgradedToken checks that the legacy token reads back with no
// refresh scopes of its own, so its refresh token has its access token's.
func CheckUpgradedToken(t *testing.T, s store.IdP) {
	t.Helper()
	tok, err := s.OAuthTokenByRefresh(t.Context(), "legacy-refresh")
	ok(t, err)
	equal(t, "access scopes", []string{"openid", "offline_access"}, tok.Scopes)
	equal(t, "refresh scopes", []string(nil), tok.RefreshScopes)
	equal(t, "the refresh token's scopes", tok.Scopes, tok.GrantedScopes())
}
