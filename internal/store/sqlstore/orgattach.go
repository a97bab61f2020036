package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// targetExists reports whether id is a stored root, OU or account (with
// policies too when withPolicies, for tags).
func targetExists(ctx context.Context, q querier, id string, withPolicies bool) (bool, error) {
	switch ic.OrgKindOf(id) {
	case ic.KindRoot:
		return exists(ctx, q, rootExistsSQL, id)
	case ic.KindOrgUnit:
		return exists(ctx, q, ouExistsSQL, id)
	case ic.KindAccount:
		return exists(ctx, q, accountExistsSQL, id)
	case ic.KindPolicy:
		if withPolicies {
			return exists(ctx, q, `SELECT 1 FROM org_policies WHERE id = $1`, id)
		}
	}
	return false, nil
}

func mustBeTarget(ctx context.Context, q querier, id string, withPolicies bool) error {
	found, err := targetExists(ctx, q, id, withPolicies)
	if err == nil && !found {
		return missing(store.ResourcePolicyTarget, id)
	}
	return err
}

// attachment reads the policy and checks the target of an attach or detach.
func attachment(ctx context.Context, tx *txn, policyID, targetID string) (ic.OrgPolicy, bool, error) {
	p, err := orgPolicy(ctx, tx, policyID)
	if err != nil {
		return p, false, err
	}
	if err := mustBeTarget(ctx, tx, targetID, false); err != nil {
		return p, false, err
	}
	attached, err := exists(ctx, tx, attachedSQL, policyID, targetID)
	return p, attached, err
}

// AttachPolicy attaches a policy to a root, OU or account.
func (db *DB) AttachPolicy(ctx context.Context, policyID, targetID string) error {
	e := audit.New(ctx, "organizations.policy.attach", ic.KindPolicy, policyID)
	e.Detail = withDetail(e.Detail, "target", targetID)
	return db.mutate(ctx, e, func(tx *txn) error {
		p, attached, err := attachment(ctx, tx, policyID, targetID)
		if err != nil {
			return err
		}
		r, err := root(ctx, tx)
		if err != nil {
			return err
		}
		if !r.Enabled(p.Type) {
			return attachConflict(policyID, store.FieldPolicyType, "policy type %s is not enabled", p.Type)
		}
		if attached {
			return attachConflict(policyID, store.FieldAttached, "policy %s is already attached to %s", policyID, targetID)
		}
		if n, err := countAttached(ctx, tx, targetID, p.Type); err != nil || n >= ic.MaxSCPsPerTarget {
			return orConflict(err, attachConflict(policyID, store.FieldMaxAttached, "%s has %d policies of type %s", targetID, n, p.Type))
		}
		_, err = exec(ctx, tx, "attach policy", attachSQL, policyID, targetID, p.Type)
		return err
	})
}

// DetachPolicy removes an attachment, refusing to leave a target no SCP.
func (db *DB) DetachPolicy(ctx context.Context, policyID, targetID string) error {
	e := audit.New(ctx, "organizations.policy.detach", ic.KindPolicy, policyID)
	e.Detail = withDetail(e.Detail, "target", targetID)
	return db.mutate(ctx, e, func(tx *txn) error {
		p, attached, err := attachment(ctx, tx, policyID, targetID)
		if err != nil {
			return err
		}
		if !attached {
			return missing(store.ResourceAttachment, policyID)
		}
		if n, err := countAttached(ctx, tx, targetID, p.Type); err != nil || (p.Type == ic.SCP && n <= 1) {
			return orConflict(err, attachConflict(policyID, store.FieldLastPolicy, "%s would have no policy of type %s", targetID, p.Type))
		}
		_, err = exec(ctx, tx, "detach policy", detachSQL, policyID, targetID)
		return err
	})
}

func countAttached(ctx context.Context, tx *txn, targetID, policyType string) (int, error) {
	var n int
	err := queryRow(ctx, tx, countSCPsAttachedSQL, targetID, policyType).Scan(&n)
	return n, mapErr(err, "count attachments")
}

func attachConflict(policyID, field, format string, args ...any) error {
	return errs.E(errs.Conflict, format, args...).WithResource(store.ResourceOrgPolicy, policyID).WithField(field)
}

// orConflict returns err when a query failed, otherwise the conflict.
func orConflict(err, conflict error) error {
	if err != nil {
		return err
	}
	return conflict
}

func withDetail(d map[string]string, k, v string) map[string]string {
	if d == nil {
		d = map[string]string{}
	}
	d[k] = v
	return d
}

// ListPoliciesForTarget pages the policies of a type attached to a target.
func (db *DB) ListPoliciesForTarget(ctx context.Context, targetID, policyType string, p store.Page) ([]ic.OrgPolicy, string, error) {
	list := "target-policies:" + targetID + ":" + policyType
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	if err := mustBeTarget(ctx, db.r, targetID, false); err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.OrgPolicy]{list: list, scan: scanOrgPolicy, key: orgPolicyKey, limit: p.Limit}
	return pq.run(ctx, db.r, policiesForTargetSQL, targetID, policyType, cur[0], p.Limit+1)
}

// ListTargetsForPolicy pages the ids of a policy's targets.
func (db *DB) ListTargetsForPolicy(ctx context.Context, policyID string, p store.Page) ([]string, string, error) {
	list := "policy-targets:" + policyID
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	if _, err := orgPolicy(ctx, db.r, policyID); err != nil {
		return nil, "", err
	}
	pq := pageQuery[string]{list: list, limit: p.Limit,
		scan: func(s scanner) (string, error) { var id string; err := s.Scan(&id); return id, err },
		key:  func(id string) []string { return []string{id} }}
	return pq.run(ctx, db.r, targetsForPolicySQL, policyID, cur[0], p.Limit+1)
}

// EffectiveSCPs returns the SCPs attached at each level of an account's
// path, or nothing when SCPs are disabled.
func (db *DB) EffectiveSCPs(ctx context.Context, accountID string) ([]store.SCPLevel, error) {
	if ic.OrgKindOf(accountID) != ic.KindAccount {
		return nil, errAccountNotFound(accountID)
	}
	path, err := pathOf(ctx, db.r, accountID)
	if err != nil {
		return nil, err
	}
	r, err := root(ctx, db.r)
	if errs.Is(err, errs.NotFound) || (err == nil && !r.Enabled(ic.SCP)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	levels := make([]store.SCPLevel, 0, len(path))
	for _, id := range path {
		ps, err := collect(ctx, db.r, "effective SCPs", scanOrgPolicy, scpsOfTargetSQL, id, ic.SCP)
		if err != nil {
			return nil, err
		}
		levels = append(levels, store.SCPLevel{TargetID: id, Policies: ps})
	}
	return levels, nil
}
