package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
)

const (
	selectPoliciesSQL = `SELECT policy FROM idp_signon_policies ORDER BY group_id`
	upsertPolicySQL   = `INSERT INTO idp_signon_policies (group_id, policy) VALUES ($1, $2)
ON CONFLICT (group_id) DO UPDATE SET policy = excluded.policy`
	deletePolicySQL = `DELETE FROM idp_signon_policies WHERE group_id = $1`
	targetPolicy    = "Policy"
)

// SignOnPolicies lists every group's sign-on policy.
func (s *IdP) SignOnPolicies(ctx context.Context) ([]directory.SignOnPolicy, error) {
	scan := func(sc scanner) (directory.SignOnPolicy, error) {
		var p directory.SignOnPolicy
		return p, sc.Scan(jsonCol{&p})
	}
	return collect(ctx, s.db.r, "sign-on policies", scan, selectPoliciesSQL)
}

// PutSignOnPolicy sets a group's sign-on policy.
func (s *IdP) PutSignOnPolicy(ctx context.Context, p directory.SignOnPolicy) error {
	e := audit.New(ctx, "policy.lifecycle.update", targetPolicy, p.GroupID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, idpGroupExistsSQL, p.GroupID, errIdPGroupNotFound(p.GroupID)); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "put sign-on policy", upsertPolicySQL, p.GroupID, jsonCol{p})
		return err
	})
}

// DeleteSignOnPolicy removes a group's sign-on policy, if it has one.
func (s *IdP) DeleteSignOnPolicy(ctx context.Context, groupID string) error {
	e := audit.New(ctx, "policy.lifecycle.delete", targetPolicy, groupID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "delete sign-on policy", deletePolicySQL, groupID)
		return err
	})
}
