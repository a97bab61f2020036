package sqlstore

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	putIAMPolicySQL = `INSERT INTO iam_inline_policies (owner_id, name, document) VALUES ($1, $2, $3)
ON CONFLICT (owner_id, name) DO UPDATE SET document = excluded.document`
	otherIAMDocsSQL    = `SELECT document FROM iam_inline_policies WHERE owner_id = $1 AND name <> $2`
	iamPolicySQL       = `SELECT name, document FROM iam_inline_policies WHERE owner_id = $1 AND name = $2`
	listIAMPoliciesSQL = `SELECT name FROM iam_inline_policies WHERE owner_id = $1 AND name > $2
ORDER BY name LIMIT CAST($3 AS INTEGER)`
	deleteIAMPolicySQL = `DELETE FROM iam_inline_policies WHERE owner_id = $1 AND name = $2`
	attachIAMPolicySQL = `INSERT INTO iam_attached_policies (owner_id, arn) VALUES ($1, $2)
ON CONFLICT (owner_id, arn) DO NOTHING`
	countOwnerAttachedSQL = `SELECT COUNT(*) FROM iam_attached_policies WHERE owner_id = $1`
	detachIAMPolicySQL    = `DELETE FROM iam_attached_policies WHERE owner_id = $1 AND arn = $2`
	listOwnerAttachedSQL  = `SELECT arn FROM iam_attached_policies WHERE owner_id = $1 AND arn > $2
ORDER BY arn LIMIT CAST($3 AS INTEGER)`
	usersForPolicySQL = `SELECT ` + iamUserCols + ` FROM iam_users WHERE account_id = $1 AND (
	($3 <> 'PermissionsBoundary' AND id IN (SELECT owner_id FROM iam_attached_policies WHERE arn = $2))
	OR ($3 <> 'PermissionsPolicy' AND boundary = $2)) ORDER BY name_norm`
	groupsForPolicySQL = `SELECT ` + iamGroupCols + ` FROM iam_groups WHERE account_id = $1
	AND $3 <> 'PermissionsBoundary' AND id IN (SELECT owner_id FROM iam_attached_policies WHERE arn = $2) ORDER BY name_norm`
	iamOwnerExistsSQL = `SELECT 1 FROM iam_users WHERE id = $1 UNION ALL SELECT 1 FROM iam_groups WHERE id = $1`
)

// ownerEvent is the event of a policy change on a user or group: the
// action is "iam.user.<verb>" or "iam.group.<verb>" by the owner's id.
func ownerEvent(ctx context.Context, ownerID, verb string) audit.Event {
	if strings.HasPrefix(ownerID, iam.PrefixGroupID) {
		return audit.New(ctx, "iam.group."+verb, targetIAMGroup, ownerID)
	}
	return audit.New(ctx, "iam.user."+verb, targetIAMUser, ownerID)
}

func ownerMissing(ownerID string) *errs.Error {
	if strings.HasPrefix(ownerID, iam.PrefixGroupID) {
		return errIAMGroupNotFound(ownerID)
	}
	return errIAMUserNotFound(ownerID)
}

func ownerExists(ctx context.Context, tx *txn, ownerID string) error {
	return mustExist(ctx, tx, iamOwnerExistsSQL, ownerID, ownerMissing(ownerID))
}

func scanName(s scanner) (string, error) {
	var n string
	return n, s.Scan(&n)
}

func nameKey(n string) []string { return []string{n} }

// PutIAMInlinePolicy creates or replaces an inline policy, within the
// owner's quota: its inline policies together, p in place of any of the
// same name, at most iam.MaxUserInlinePolicySize (a user) or
// iam.MaxGroupInlinePolicySize (a group) as iam.PolicySize counts.
func (db *DB) PutIAMInlinePolicy(ctx context.Context, ownerID string, p iam.InlinePolicy) error {
	e := ownerEvent(ctx, ownerID, "policy.put")
	e.Message = p.Name
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := ownerExists(ctx, tx, ownerID); err != nil {
			return err
		}
		others, err := collect(ctx, tx, "list iam inline policies", scanString, otherIAMDocsSQL, ownerID, p.Name)
		if err != nil {
			return err
		}
		size, limit := iam.PolicySize([]byte(p.Document)), iam.MaxUserInlinePolicySize
		if strings.HasPrefix(ownerID, iam.PrefixGroupID) {
			limit = iam.MaxGroupInlinePolicySize
		}
		for _, d := range others {
			size += iam.PolicySize([]byte(d))
		}
		if size > limit {
			return errs.E(errs.Conflict, "inline policies of %d characters exceed %d", size, limit).
				WithResource(store.ResourceIAMInlinePolicy, p.Name).WithField(store.FieldLimit)
		}
		_, err = exec(ctx, tx, "put iam policy", putIAMPolicySQL, ownerID, p.Name, p.Document)
		return err
	})
}

// IAMInlinePolicy returns one inline policy.
func (db *DB) IAMInlinePolicy(ctx context.Context, ownerID, name string) (iam.InlinePolicy, error) {
	var p iam.InlinePolicy
	err := queryRow(ctx, db.r, iamPolicySQL, ownerID, name).Scan(&p.Name, &p.Document)
	return p, notFound(err, "iam policy", missing(store.ResourceIAMInlinePolicy, name))
}

// ListIAMInlinePolicies pages the owner's policy names.
func (db *DB) ListIAMInlinePolicies(ctx context.Context, ownerID string, p store.Page) ([]string, string, error) {
	list := listName("iam_policies", ownerID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[string]{list: list, scan: scanName, key: nameKey, limit: p.Limit}
	return pq.run(ctx, db.r, listIAMPoliciesSQL, ownerID, cur[0], p.Limit+1)
}

// DeleteIAMInlinePolicy deletes one inline policy.
func (db *DB) DeleteIAMInlinePolicy(ctx context.Context, ownerID, name string) error {
	e := ownerEvent(ctx, ownerID, "policy.delete")
	e.Message = name
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMInlinePolicy, name), "delete iam policy",
			deleteIAMPolicySQL, ownerID, name)
	})
}

// AttachIAMPolicy attaches a managed policy, within the quota.
func (db *DB) AttachIAMPolicy(ctx context.Context, ownerID, arn string) error {
	e := ownerEvent(ctx, ownerID, "policy.attach")
	e.Message = arn
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := ownerExists(ctx, tx, ownerID); err != nil {
			return err
		}
		if err := belowQuota(ctx, tx, countOwnerAttachedSQL+` AND arn <> $2`, iam.MaxAttachedPolicies,
			store.ResourceIAMAttachment, ownerID, arn); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "attach iam policy", attachIAMPolicySQL, ownerID, arn)
		return err
	})
}

// belowQuota refuses (errs.Conflict, FieldLimit) when query counts max rows.
func belowQuota(ctx context.Context, tx *txn, query string, max int, resource string, args ...any) error {
	var n int
	if err := queryRow(ctx, tx, query, args...).Scan(&n); err != nil {
		return mapErr(err, "count "+resource)
	}
	if n >= max {
		return errs.E(errs.Conflict, "at most %d of %s", max, resource).WithResource(resource, "").WithField(store.FieldLimit)
	}
	return nil
}

// DetachIAMPolicy detaches a managed policy.
func (db *DB) DetachIAMPolicy(ctx context.Context, ownerID, arn string) error {
	e := ownerEvent(ctx, ownerID, "policy.detach")
	e.Message = arn
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMAttachment, arn), "detach iam policy",
			detachIAMPolicySQL, ownerID, arn)
	})
}

// ListIAMAttachedPolicies pages the owner's attached policy ARNs.
func (db *DB) ListIAMAttachedPolicies(ctx context.Context, ownerID string, p store.Page) ([]string, string, error) {
	list := listName("iam_attached", ownerID)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[string]{list: list, scan: scanName, key: nameKey, limit: p.Limit}
	return pq.run(ctx, db.r, listOwnerAttachedSQL, ownerID, cur[0], p.Limit+1)
}

// IAMPrincipalsForPolicy lists the users and groups using a managed policy.
func (db *DB) IAMPrincipalsForPolicy(ctx context.Context, accountID, policyARN, usage string) ([]iam.User, []iam.Group, error) {
	users, err := collect(ctx, db.r, "list users for policy", scanIAMUser, usersForPolicySQL, accountID, policyARN, usage)
	if err != nil {
		return nil, nil, err
	}
	groups, err := collect(ctx, db.r, "list groups for policy", scanIAMGroup, groupsForPolicySQL, accountID, policyARN, usage)
	return users, groups, err
}
