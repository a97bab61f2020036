package storetest

import (
	"fmt"
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// LegacyClient is an SSO-OIDC client as databases held it before grant
// types and redirect URIs (migration 00023), in SQL both backends accept.
// A backend's upgrade test runs it on a database migrated to 00021 and
// then calls CheckUpgradedClient.
const LegacyClient = `INSERT INTO oidc_clients (id, secret_hash, name, type, scopes, issued_at, expires_at)
VALUES ('kwcLegacy', 'hash', 'aws-cli-2.9', 'public', '["sso:account:access"]', 1, 9000000000000000000)`

// CheckUpgradedClient checks that s, upgraded from LegacyClient, reads the
// client back with no grant types, so it keeps the device and refresh
// grants and has no authorization code grant.
func CheckUpgradedClient(t *testing.T, s store.AWS) {
	t.Helper()
	c, err := s.Client(t.Context(), "kwcLegacy")
	ok(t, err)
	equal(t, "name and scopes", "aws-cli-2.9 sso:account:access", c.Name+" "+c.Scopes[0])
	equal(t, "grant types, redirect URIs, issuer", "[] [] ", fmt.Sprint(c.GrantTypes, " ", c.RedirectURIs, " ", c.IssuerURL))
	equal(t, "grants allowed (code, device, refresh)", []bool{false, true, true},
		[]bool{c.Allows(ic.GrantAuthorizationCode), c.Allows(ic.GrantDeviceCode), c.Allows(ic.GrantRefreshToken)})
}
