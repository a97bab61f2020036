package storetest

import (
	"testing"

	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// LegacyOrganization is an organization with two accounts as databases
// held them before Organizations' tree (migration 00019), in SQL both
// backends accept. A backend's upgrade test runs it on a database migrated
// to 00016 and then calls CheckUpgradedOrganization.
var LegacyOrganization = []string{
	`INSERT INTO accounts (id, name, email, email_norm, status, joined_method, joined_at)
VALUES ('111111111111', 'Management', 'root@example.com', 'root@example.com', 'ACTIVE', 'CREATED', 1)`,
	`INSERT INTO accounts (id, name, email, email_norm, status, joined_method, joined_at)
VALUES ('222222222222', 'Dev', 'dev@example.com', 'dev@example.com', 'ACTIVE', 'CREATED', 2)`,
	`INSERT INTO organization (singleton, id, management_account_id, management_email, root_key_id, created_at)
VALUES (1, 'o-abcd123456', '111111111111', 'root@example.com', '', 1)`,
}

// CheckUpgradedOrganization checks that s, upgraded from LegacyOrganization,
// has the root a first start would have made, every account under it, and
// FullAWSAccess.
func CheckUpgradedOrganization(t *testing.T, s store.AWS) {
	t.Helper()
	ctx := t.Context()
	r, err := s.Root(ctx)
	ok(t, err)
	equal(t, "root", ic.RootIDFor("o-abcd123456")+" Root", r.ID+" "+r.Name)
	for _, id := range []string{"111111111111", "222222222222"} {
		parent, err := s.ParentOf(ctx, id)
		ok(t, err)
		equal(t, "parent of "+id, r.ID, parent)
	}
	p, err := s.OrgPolicy(ctx, ic.FullAWSAccessID)
	ok(t, err)
	equal(t, "FullAWSAccess", ic.FullAWSAccess, p)
}
