package sqlstore

import (
	"context"
	"slices"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	opCols             = `p.id, p.type, p.name, p.description, p.content, p.aws_managed, p.created_at`
	insertOrgPolicySQL = `INSERT INTO org_policies (id, type, name, description, content, aws_managed, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	updateOrgPolicySQL = `UPDATE org_policies SET name = $2, description = $3, content = $4 WHERE id = $1`
	selectOrgPolicySQL = `SELECT ` + opCols + ` FROM org_policies p WHERE p.id = $1`
	deleteOrgPolicySQL = `DELETE FROM org_policies WHERE id = $1`
	listOrgPoliciesSQL = `SELECT ` + opCols + ` FROM org_policies p WHERE p.type = $1 AND p.id > $2
ORDER BY p.id LIMIT CAST($3 AS INTEGER)`
	countOrgPoliciesSQL  = `SELECT COUNT(*) FROM org_policies WHERE type = $1 AND aws_managed = 0`
	policyAttachedSQL    = `SELECT 1 FROM org_attachments WHERE policy_id = $1 LIMIT 1`
	attachedSQL          = `SELECT 1 FROM org_attachments WHERE policy_id = $1 AND target_id = $2`
	countSCPsAttachedSQL = `SELECT COUNT(*) FROM org_attachments WHERE target_id = $1 AND policy_type = $2`
	attachSQL            = `INSERT INTO org_attachments (policy_id, target_id, policy_type) VALUES ($1, $2, $3)
ON CONFLICT (policy_id, target_id) DO NOTHING`
	detachSQL       = `DELETE FROM org_attachments WHERE policy_id = $1 AND target_id = $2`
	detachTypeSQL   = `DELETE FROM org_attachments WHERE policy_type = $1`
	setRootTypesSQL = `UPDATE org_roots SET policy_types = $2 WHERE id = $1`
	// The WHERE resolves SQLite's parsing ambiguity of INSERT ... SELECT
	// with an upsert clause.
	attachAllSQL = `INSERT INTO org_attachments (policy_id, target_id, policy_type)
SELECT CAST($1 AS TEXT), t.id, CAST($2 AS TEXT) FROM (SELECT id FROM org_units UNION ALL SELECT id FROM accounts
UNION ALL SELECT id FROM org_roots) t WHERE true
ON CONFLICT (policy_id, target_id) DO NOTHING`
	policiesForTargetSQL = `SELECT ` + opCols + ` FROM org_policies p JOIN org_attachments a ON a.policy_id = p.id
WHERE a.target_id = $1 AND a.policy_type = $2 AND p.id > $3 ORDER BY p.id LIMIT CAST($4 AS INTEGER)`
	targetsForPolicySQL = `SELECT target_id FROM org_attachments WHERE policy_id = $1 AND target_id > $2
ORDER BY target_id LIMIT CAST($3 AS INTEGER)`
	scpsOfTargetSQL = `SELECT ` + opCols + ` FROM org_policies p JOIN org_attachments a ON a.policy_id = p.id
WHERE a.target_id = $1 AND a.policy_type = $2 ORDER BY p.id`
)

// attachDefaultSCP attaches FullAWSAccess to a new OU or account when SCPs
// are enabled, as Organizations does.
func attachDefaultSCP(ctx context.Context, tx *txn, targetID string) error {
	r, err := root(ctx, tx)
	if errs.Is(err, errs.NotFound) || (err == nil && !r.Enabled(ic.SCP)) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = exec(ctx, tx, "attach FullAWSAccess", attachSQL, ic.FullAWSAccessID, targetID, ic.SCP)
	return err
}

// SetPolicyType enables or disables a policy type in the root.
func (db *DB) SetPolicyType(ctx context.Context, rootID, policyType string, enabled bool) (ic.Root, error) {
	action := "organizations.policytype.disable"
	if enabled {
		action = "organizations.policytype.enable"
	}
	e := audit.New(ctx, action, ic.KindRoot, rootID)
	var r ic.Root
	err := db.mutate(ctx, e, func(tx *txn) error {
		var err error
		if r, err = root(ctx, tx); err != nil || r.ID != rootID {
			return notRoot(err, rootID)
		}
		if r.Enabled(policyType) == enabled {
			return errs.E(errs.Conflict, "policy type %s is already in that state", policyType).
				WithResource(store.ResourceRoot, rootID).WithField(store.FieldPolicyType)
		}
		r.PolicyTypes = slices.DeleteFunc(r.PolicyTypes, func(t string) bool { return t == policyType })
		if enabled {
			r.PolicyTypes = append(r.PolicyTypes, policyType)
		}
		if _, err := exec(ctx, tx, "set policy types", setRootTypesSQL, rootID, jsonCol{r.PolicyTypes}); err != nil {
			return err
		}
		return attachForType(ctx, tx, policyType, enabled)
	})
	return r, err
}

// attachForType attaches FullAWSAccess everywhere when SCPs are enabled
// and detaches every policy of a type when it is disabled.
func attachForType(ctx context.Context, tx *txn, policyType string, enabled bool) error {
	var err error
	switch {
	case !enabled:
		_, err = exec(ctx, tx, "detach policy type", detachTypeSQL, policyType)
	case policyType == ic.SCP:
		_, err = exec(ctx, tx, "attach FullAWSAccess", attachAllSQL, ic.FullAWSAccessID, ic.SCP)
	}
	return err
}

func notRoot(err error, rootID string) error {
	if err == nil || errs.Is(err, errs.NotFound) {
		return missing(store.ResourceRoot, rootID)
	}
	return err
}

// CreateOrgPolicy stores a new policy with its tags.
func (db *DB) CreateOrgPolicy(ctx context.Context, p ic.OrgPolicy, tags []ic.Tag) error {
	e := audit.New(ctx, "organizations.policy.create", ic.KindPolicy, p.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		var n int
		if err := queryRow(ctx, tx, countOrgPoliciesSQL, p.Type).Scan(&n); err != nil {
			return mapErr(err, "count policies")
		}
		if n >= ic.MaxPoliciesPerType {
			return errs.E(errs.Conflict, "the organization holds %d policies of type %s", n, p.Type).
				WithResource(store.ResourceOrgPolicy, "").WithField(store.FieldLimit)
		}
		if _, err := exec(ctx, tx, "insert policy", insertOrgPolicySQL, p.ID, p.Type, p.Name,
			p.Description, p.Content, boolInt(p.AWSManaged), ts(p.CreatedAt)); err != nil {
			return err
		}
		return putTags(ctx, tx, p.ID, tags)
	})
}

// OrgPolicy returns a policy.
func (db *DB) OrgPolicy(ctx context.Context, id string) (ic.OrgPolicy, error) {
	return orgPolicy(ctx, db.r, id)
}

func orgPolicy(ctx context.Context, q querier, id string) (ic.OrgPolicy, error) {
	p, err := scanOrgPolicy(queryRow(ctx, q, selectOrgPolicySQL, id))
	return p, notFound(err, "policy", missing(store.ResourceOrgPolicy, id))
}

func scanOrgPolicy(s scanner) (ic.OrgPolicy, error) {
	var p ic.OrgPolicy
	var managed int64
	err := s.Scan(&p.ID, &p.Type, &p.Name, &p.Description, &p.Content, &managed, timeCol{&p.CreatedAt})
	p.AWSManaged = managed != 0
	return p, err
}

// boolInt stores a flag as the 0 or 1 both backends' integer columns hold.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func orgPolicyKey(p ic.OrgPolicy) []string { return []string{p.ID} }

// UpdateOrgPolicy changes a policy's name, description and content.
func (db *DB) UpdateOrgPolicy(ctx context.Context, id string, fn func(ic.OrgPolicy) (ic.OrgPolicy, error)) (ic.OrgPolicy, error) {
	e := audit.New(ctx, "organizations.policy.update", ic.KindPolicy, id)
	return update(ctx, db, e,
		func(tx *txn) (ic.OrgPolicy, error) { return orgPolicy(ctx, tx, id) }, fn,
		func(tx *txn, old ic.OrgPolicy, p *ic.OrgPolicy) error {
			p.ID, p.Type, p.AWSManaged, p.CreatedAt = old.ID, old.Type, old.AWSManaged, old.CreatedAt
			_, err := exec(ctx, tx, "update policy", updateOrgPolicySQL, p.ID, p.Name, p.Description, p.Content)
			return err
		})
}

// DeleteOrgPolicy removes a policy attached nowhere.
func (db *DB) DeleteOrgPolicy(ctx context.Context, id string) error {
	e := audit.New(ctx, "organizations.policy.delete", ic.KindPolicy, id)
	return db.mutate(ctx, e, func(tx *txn) error {
		if _, err := orgPolicy(ctx, tx, id); err != nil {
			return err
		}
		inUse, err := exists(ctx, tx, policyAttachedSQL, id)
		if err != nil {
			return err
		}
		if inUse {
			return errs.E(errs.Conflict, "policy %s is attached", id).
				WithResource(store.ResourceOrgPolicy, id).WithField(store.FieldInUse)
		}
		for _, q := range []string{deleteResTagsSQL, deleteOrgPolicySQL} {
			if _, err := exec(ctx, tx, "delete policy", q, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListOrgPolicies pages the policies of a type.
func (db *DB) ListOrgPolicies(ctx context.Context, policyType string, p store.Page) ([]ic.OrgPolicy, string, error) {
	list := "policies:" + policyType
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.OrgPolicy]{list: list, scan: scanOrgPolicy, key: orgPolicyKey, limit: p.Limit}
	return pq.run(ctx, db.r, listOrgPoliciesSQL, policyType, cur[0], p.Limit+1)
}
