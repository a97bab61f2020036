package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// LegacyApp is a SAML app as databases held it before OpenID Connect
// apps' client settings (migration 00021), in SQL both backends accept. A
// backend's upgrade test runs it, with LegacyAppToken for $1 (the two
// dialects share no literal for an empty blob), on a database migrated to
// 00020 and then calls CheckUpgradedApp.
const LegacyApp = `INSERT INTO idp_apps (id, name, label, sign_on_mode, status, created, last_updated, saml, settings,
	scim_enabled, scim_url, scim_token) VALUES ('0oaLegacy', 'amazon_aws', 'AWS', 'SAML_2_0', 'ACTIVE', 1, 1,
	'{}', '{"appFilter":"okta"}', 0, '', $1)`

// LegacyAppToken is LegacyApp's sealed SCIM token: none.
var LegacyAppToken = []byte{}

// CheckUpgradedApp checks that s, upgraded from LegacyApp, reads the app
// back whole with no client settings, and can give it some.
func CheckUpgradedApp(t *testing.T, s store.IdP) {
	t.Helper()
	ctx := t.Context()
	a, err := s.App(ctx, "0oaLegacy")
	ok(t, err)
	equal(t, "label and settings", "AWS okta", a.Label+" "+a.Settings["appFilter"])
	equal(t, "client settings", directory.OAuthClient{}, a.OAuth)
	_, err = s.UpdateApp(ctx, a.ID, "application.lifecycle.update", func(old directory.App) (directory.App, error) {
		old.OAuth.GrantTypes = []string{directory.GrantClientCredentials}
		return old, nil
	})
	ok(t, err)
	a, err = s.App(ctx, a.ID)
	ok(t, err)
	equal(t, "grant types", []string{directory.GrantClientCredentials}, a.OAuth.GrantTypes)
}
