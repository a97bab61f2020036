package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// A role's inline policies (iam_role_policies) and attached managed
// policies (iam_role_attachments).
const (
	rolePolicyDocsSQL = `SELECT name, document FROM iam_role_policies WHERE role_id = $1 ORDER BY name`
	upsertRolePolicy  = `INSERT INTO iam_role_policies (role_id, name, document) VALUES ($1, $2, $3)
ON CONFLICT (role_id, name) DO UPDATE SET document = excluded.document`
	selectRolePolicy     = `SELECT name, document FROM iam_role_policies WHERE role_id = $1 AND name = $2`
	listRolePolicies     = `SELECT name FROM iam_role_policies WHERE role_id = $1 AND name > $2 ORDER BY name LIMIT CAST($3 AS INTEGER)`
	deleteRolePolicy     = `DELETE FROM iam_role_policies WHERE role_id = $1 AND name = $2`
	attachRolePolicy     = `INSERT INTO iam_role_attachments (role_id, account_id, policy_arn) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	countRoleAttachedSQL = `SELECT COUNT(*) FROM iam_role_attachments WHERE role_id = $1 AND policy_arn <> $2`
	detachRolePolicy     = `DELETE FROM iam_role_attachments WHERE role_id = $1 AND policy_arn = $2`
	listAttachedSQL      = `SELECT policy_arn FROM iam_role_attachments WHERE role_id = $1 AND policy_arn > $2 ORDER BY policy_arn LIMIT CAST($3 AS INTEGER)`
	customerPolicyByARN  = `SELECT 1 FROM iam_policies WHERE account_id = $1 AND arn = $2`
	// rolePolicyDocsAllSQL is a role's inline ('i') and attached ('a')
	// policies in one read, for authorization.
	rolePolicyDocsAllSQL = `SELECT 'i', name, document FROM iam_role_policies WHERE role_id = $1
UNION ALL SELECT 'a', a.policy_arn, COALESCE(v.document, '') FROM iam_role_attachments a
LEFT JOIN iam_policies p ON p.arn = a.policy_arn AND p.account_id = a.account_id
LEFT JOIN iam_policy_versions v ON v.policy_id = p.id AND v.version_id = p.default_version
WHERE a.role_id = $1 ORDER BY 1, 2`
)

func scanRolePolicy(s scanner) (store.RolePolicy, error) {
	var p store.RolePolicy
	err := s.Scan(&p.Name, &p.Document)
	return p, err
}

func scanString(s scanner) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

// PutRolePolicy adds or replaces an inline policy within the role's quota.
func (db *DB) PutRolePolicy(ctx context.Context, accountID, roleName string, p store.RolePolicy) error {
	return db.mutateRole(ctx, "iam.role.policy.put", accountID, roleName, func(tx *txn, r iam.Role) error {
		docs, err := collect(ctx, tx, "list iam role policies", scanRolePolicy, rolePolicyDocsSQL, r.ID)
		if err != nil {
			return err
		}
		size := iam.PolicySize([]byte(p.Document))
		for _, d := range docs {
			if d.Name != p.Name {
				size += iam.PolicySize([]byte(d.Document))
			}
		}
		if size > iam.MaxRoleInlinePolicySize {
			return errs.E(errs.Invalid, "Maximum policy size of %d bytes exceeded for role %s", iam.MaxRoleInlinePolicySize, r.Name).
				WithCode("LimitExceeded")
		}
		_, err = exec(ctx, tx, "put iam role policy", upsertRolePolicy, r.ID, p.Name, p.Document)
		return err
	})
}

// RolePolicy returns one inline policy.
func (db *DB) RolePolicy(ctx context.Context, accountID, roleName, policyName string) (store.RolePolicy, error) {
	r, err := iamRole(ctx, db.r, accountID, roleName)
	if err != nil {
		return store.RolePolicy{}, err
	}
	p, err := scanRolePolicy(queryRow(ctx, db.r, selectRolePolicy, r.ID, policyName))
	return p, notFound(err, "iam role policy", missing(store.ResourceIAMRolePolicy, policyName))
}

// ListRolePolicies pages a role's inline policy names.
func (db *DB) ListRolePolicies(ctx context.Context, accountID, roleName string, p store.Page) ([]string, string, error) {
	return db.pageRoleList(ctx, "iam-role-policies", listRolePolicies, accountID, roleName, p)
}

// pageRoleList pages one string column of a role's rows, by that column.
func (db *DB) pageRoleList(ctx context.Context, list, query, accountID, roleName string, p store.Page) ([]string, string, error) {
	list = listName(list, accountID, roleName)
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	r, err := iamRole(ctx, db.r, accountID, roleName)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[string]{list: list, scan: scanString, limit: p.Limit, key: func(s string) []string { return []string{s} }}
	return pq.run(ctx, db.r, query, r.ID, cur[0], p.Limit+1)
}

// DeleteRolePolicy deletes one inline policy.
func (db *DB) DeleteRolePolicy(ctx context.Context, accountID, roleName, policyName string) error {
	return db.mutateRole(ctx, "iam.role.policy.delete", accountID, roleName, func(tx *txn, r iam.Role) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMRolePolicy, policyName), "delete iam role policy",
			deleteRolePolicy, r.ID, policyName)
	})
}

// AttachRolePolicy attaches a managed policy within the role's quota.
func (db *DB) AttachRolePolicy(ctx context.Context, accountID, roleName, policyARN string) error {
	return db.mutateRole(ctx, "iam.role.policy.attach", accountID, roleName, func(tx *txn, r iam.Role) error {
		if account, _, _, _ := iam.ParsePolicyARN(policyARN); account == accountID {
			var one int
			err := queryRow(ctx, tx, customerPolicyByARN, accountID, policyARN).Scan(&one)
			if err := notFound(err, "find iam policy", missing(store.ResourceIAMPolicy, policyARN)); err != nil {
				return err
			}
		}
		var n int
		if err := queryRow(ctx, tx, countRoleAttachedSQL, r.ID, policyARN).Scan(&n); err != nil {
			return mapErr(err, "count attached policies")
		}
		if n >= store.MaxAttachedRolePolicies {
			return errs.E(errs.Conflict, "Cannot exceed quota for PoliciesPerRole: %d", store.MaxAttachedRolePolicies).
				WithCode("LimitExceeded").WithResource(store.ResourceIAMRole, r.Name).WithField(store.FieldLimit)
		}
		_, err := exec(ctx, tx, "attach iam policy", attachRolePolicy, r.ID, accountID, policyARN)
		return err
	})
}

// DetachRolePolicy detaches a managed policy.
func (db *DB) DetachRolePolicy(ctx context.Context, accountID, roleName, policyARN string) error {
	return db.mutateRole(ctx, "iam.role.policy.detach", accountID, roleName, func(tx *txn, r iam.Role) error {
		return changeRow(ctx, tx, missing(store.ResourceIAMAttachment, policyARN), "detach iam policy",
			detachRolePolicy, r.ID, policyARN)
	})
}

// ListAttachedRolePolicies pages the ARNs attached to a role.
func (db *DB) ListAttachedRolePolicies(ctx context.Context, accountID, roleName string, p store.Page) ([]string, string, error) {
	return db.pageRoleList(ctx, "iam-role-attachments", listAttachedSQL, accountID, roleName, p)
}

// RoleAuthorization reads a role and its policies (two indexed reads on
// the read pool, not one transaction: a change landing between them is as
// if it landed just before or after the read). It runs on every signed
// call a role session makes, so its policies come in one query.
func (db *DB) RoleAuthorization(ctx context.Context, accountID, roleName string) (store.RoleAuthorization, error) {
	r, err := iamRole(ctx, db.r, accountID, roleName)
	if err != nil {
		return store.RoleAuthorization{}, err
	}
	inline, attached, err := ownedPolicies(ctx, db, "list iam role policies", rolePolicyDocsAllSQL, r.ID)
	return store.RoleAuthorization{Role: r, Inline: inline, Attached: attached}, err
}

// ownedPolicies runs a query answering (kind, name or ARN, document) rows,
// kind 'i' for inline and 'a' for attached, and splits them.
func ownedPolicies(ctx context.Context, db *DB, op, query string, args ...any) ([]store.RolePolicy, []store.AttachedPolicy, error) {
	type row struct{ kind, key, doc string }
	rows, err := collect(ctx, db.r, op, func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.kind, &r.key, &r.doc)
	}, query, args...)
	if err != nil {
		return nil, nil, err
	}
	var inline []store.RolePolicy
	var attached []store.AttachedPolicy
	for _, r := range rows {
		if r.kind == "i" {
			inline = append(inline, store.RolePolicy{Name: r.key, Document: r.doc})
		} else {
			attached = append(attached, store.AttachedPolicy{ARN: r.key, Document: r.doc})
		}
	}
	return inline, attached, nil
}
