package storetest

import (
	"testing"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// LegacySecretApps are two OIDC apps as databases held them before
// client secrets had rows of their own (migration 00022): a confidential
// client with its secret's hash in its client settings and a public one
// without, in SQL both backends accept ($1 is LegacyAppToken). A backend's
// upgrade test runs it on a database migrated to 00021, then calls
// CheckUpgradedSecrets; after a migration down and up again, it calls
// CheckUpgradedSecrets again, which also proves that down put the hash back.
const LegacySecretApps = `INSERT INTO idp_apps (id, name, label, sign_on_mode, status, created, last_updated, saml, settings,
	scim_enabled, scim_url, scim_token, oauth) VALUES
	('0oaLegacyWeb', 'oidc_client', 'Wiki', 'OPENID_CONNECT', 'ACTIVE', 1, 5000, '{}', '{}', 0, '', $1,
	 '{"ApplicationType":"web","GrantTypes":["client_credentials"],"TokenEndpointAuthMethod":"client_secret_basic","SecretHash":"legacy-hash"}'),
	('0oaLegacyCLI', 'oidc_client', 'CLI', 'OPENID_CONNECT', 'ACTIVE', 1, 1, '{}', '{}', 0, '', $1,
	 '{"ApplicationType":"native","GrantTypes":["authorization_code"],"TokenEndpointAuthMethod":"none","SecretHash":""}')`

// CheckUpgradedSecrets checks that the confidential client's secret hash
// became its one ACTIVE secret, with the id the API showed before, that
// the public client has none, and that neither app keeps a hash.
func CheckUpgradedSecrets(t *testing.T, s store.IdP) {
	t.Helper()
	ctx := t.Context()
	web, err := s.App(ctx, "0oaLegacyWeb")
	ok(t, err)
	equal(t, "grant types", []string{directory.GrantClientCredentials}, web.OAuth.GrantTypes)
	equal(t, "hash on the app", "", web.OAuth.SecretHash)
	all, err := s.ClientSecrets(ctx, web.ID)
	ok(t, err)
	if len(all) != 1 {
		t.Fatalf("secrets = %+v", all)
	}
	c := all[0]
	equal(t, "the secret", []string{"ocs0oaLegacyWeb", "0oaLegacyWeb", "legacy-hash", "ACTIVE"},
		[]string{c.ID, c.ClientID, c.Hash, string(c.Status)})
	equal(t, "its times (the app's last update)", []int64{5000, 5000}, []int64{c.Created.UnixNano(), c.LastUpdated.UnixNano()})
	none, err := s.ClientSecrets(ctx, "0oaLegacyCLI")
	ok(t, err)
	equal(t, "the public client's", 0, len(none))
	cli, err := s.App(ctx, "0oaLegacyCLI")
	ok(t, err)
	equal(t, "the public client's method", directory.AuthNone, cli.OAuth.TokenEndpointAuthMethod)
}
