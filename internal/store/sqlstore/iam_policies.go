package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// Customer managed policies (iam_policies). Their versions are in
// iam_policy_versions.go.
const (
	iamPolicyCols    = `id, account_id, name, path, description, default_version, tags, created_at, updated_at`
	insertIAMPolicy  = `INSERT INTO iam_policies (` + iamPolicyCols + `, name_norm, arn, next_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 2)`
	updateIAMPolicy  = `UPDATE iam_policies SET description = $2, tags = $3 WHERE id = $1`
	selectIAMPolicy  = `SELECT ` + iamPolicyCols + ` FROM iam_policies WHERE account_id = $1 AND name_norm = $2`
	listIAMPolicySQL = `SELECT ` + iamPolicyCols + ` FROM iam_policies p
WHERE p.account_id = $1 AND substr(p.path, 1, CAST($3 AS INTEGER)) = $2 AND p.name_norm > $4
AND ($5 = 0
	OR ($6 <> 'PermissionsBoundary' AND EXISTS (SELECT 1 FROM iam_role_attachments a WHERE a.account_id = p.account_id AND a.policy_arn = p.arn))
	OR ($6 <> 'PermissionsPolicy' AND EXISTS (SELECT 1 FROM iam_roles r WHERE r.account_id = p.account_id AND r.boundary = p.arn))
	OR ($6 <> 'PermissionsBoundary' AND EXISTS (SELECT 1 FROM iam_attached_policies ap WHERE ap.arn = p.arn))
	OR ($6 <> 'PermissionsPolicy' AND EXISTS (SELECT 1 FROM iam_users u WHERE u.account_id = p.account_id AND u.boundary = p.arn)))
ORDER BY p.name_norm LIMIT CAST($7 AS INTEGER)`
	policyInUseSQL = `SELECT (SELECT COUNT(*) FROM iam_role_attachments WHERE account_id = $1 AND policy_arn = $2)
	+ (SELECT COUNT(*) FROM iam_roles WHERE account_id = $1 AND boundary = $2)
	+ (SELECT COUNT(*) FROM iam_attached_policies WHERE arn = $2)
	+ (SELECT COUNT(*) FROM iam_users WHERE account_id = $1 AND boundary = $2)`
	countVersionsSQL  = `SELECT COUNT(*) FROM iam_policy_versions WHERE policy_id = $1`
	deleteVersionsSQL = `DELETE FROM iam_policy_versions WHERE policy_id = $1`
	deleteIAMPolicy   = `DELETE FROM iam_policies WHERE id = $1`
	attachmentUsesSQL = `SELECT arn, COUNT(*) FROM (
	SELECT policy_arn AS arn FROM iam_role_attachments WHERE account_id = $1
	UNION ALL SELECT ap.arn FROM iam_attached_policies ap JOIN iam_users u ON u.id = ap.owner_id WHERE u.account_id = $1
	UNION ALL SELECT ap.arn FROM iam_attached_policies ap JOIN iam_groups g ON g.id = ap.owner_id WHERE g.account_id = $1
) uses GROUP BY arn`
	boundaryUsesSQL = `SELECT boundary, COUNT(*) FROM (
	SELECT boundary FROM iam_roles WHERE account_id = $1 AND boundary <> ''
	UNION ALL SELECT boundary FROM iam_users WHERE account_id = $1 AND boundary <> ''
) bounds GROUP BY boundary`
	rolesForPolicySQL = `SELECT ` + iamRoleCols + ` FROM iam_roles WHERE account_id = $1 AND (
	($3 <> 'PermissionsBoundary' AND id IN (SELECT role_id FROM iam_role_attachments WHERE account_id = $1 AND policy_arn = $2))
	OR ($3 <> 'PermissionsPolicy' AND boundary = $2)) ORDER BY name_norm`
	targetIAMPolicy = "IAM_POLICY"
)

func scanIAMPolicy(s scanner) (iam.Policy, error) {
	var p iam.Policy
	err := s.Scan(&p.ID, &p.AccountID, &p.Name, &p.Path, &p.Description, &p.DefaultVersion,
		jsonCol{&p.Tags}, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt})
	return p, err
}

func iamPolicyEvent(ctx context.Context, action string, p iam.Policy) audit.Event {
	e := audit.New(ctx, action, targetIAMPolicy, p.ARN())
	e.TargetName = p.Name
	return e
}

func iamPolicy(ctx context.Context, q querier, accountID, name string) (iam.Policy, error) {
	p, err := scanIAMPolicy(queryRow(ctx, q, selectIAMPolicy, accountID, norm(name)))
	return p, notFound(err, "iam policy", missing(store.ResourceIAMPolicy, name))
}

// mutatePolicy reads a policy in a write transaction, runs fn on it and
// records action about it, or writes nothing if any step fails.
func (db *DB) mutatePolicy(ctx context.Context, action, accountID, name string, fn func(tx *txn, p iam.Policy) error) error {
	return db.write(ctx, func(tx *txn) error {
		p, err := iamPolicy(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, iamPolicyEvent(ctx, action, p))
	})
}

// CreateIAMPolicy stores a policy and its first version.
func (db *DB) CreateIAMPolicy(ctx context.Context, p iam.Policy, v iam.PolicyVersion) error {
	if p.ID == "" || p.AccountID == "" || p.Name == "" || v.VersionID == "" {
		return required("an IAM policy's id, account, name and first version")
	}
	p.DefaultVersion = v.VersionID
	return db.mutate(ctx, iamPolicyEvent(ctx, "iam.policy.create", p), func(tx *txn) error {
		if _, err := iamPolicy(ctx, tx, p.AccountID, p.Name); err == nil {
			return errs.E(errs.Conflict, "iam policy name already taken").
				WithResource(store.ResourceIAMPolicy, p.Name).WithField(store.FieldName)
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		_, err := exec(ctx, tx, "create iam policy", insertIAMPolicy, p.ID, p.AccountID, p.Name, p.Path,
			p.Description, p.DefaultVersion, jsonCol{p.Tags}, ts(p.CreatedAt), ts(p.UpdatedAt), norm(p.Name), p.ARN())
		if err != nil {
			return err
		}
		return insertVersion(ctx, tx, p.ID, 1, v)
	})
}

// IAMPolicy returns one policy.
func (db *DB) IAMPolicy(ctx context.Context, accountID, name string) (iam.Policy, error) {
	return iamPolicy(ctx, db.r, accountID, name)
}

// ListIAMPolicies pages an account's policies by name.
func (db *DB) ListIAMPolicies(ctx context.Context, accountID string, f store.PolicyFilter, p store.Page) ([]iam.Policy, string, error) {
	cur, err := decodeCursor("iam-policies", p, 1)
	if err != nil {
		return nil, "", err
	}
	used := 0
	if f.OnlyAttached || f.Usage != "" {
		used = 1
	}
	pq := pageQuery[iam.Policy]{list: "iam-policies", scan: scanIAMPolicy, limit: p.Limit,
		key: func(p iam.Policy) []string { return []string{norm(p.Name)} }}
	return pq.run(ctx, db.r, listIAMPolicySQL, accountID, f.PathPrefix, len(f.PathPrefix), cur[0], used, f.Usage, p.Limit+1)
}

// UpdateIAMPolicy is compare-and-swap on a policy's description and tags.
func (db *DB) UpdateIAMPolicy(ctx context.Context, accountID, name string, fn func(iam.Policy) (iam.Policy, error)) (iam.Policy, error) {
	var out iam.Policy
	err := db.mutatePolicy(ctx, "iam.policy.update", accountID, name, func(tx *txn, old iam.Policy) error {
		p, err := fn(old)
		if err != nil {
			return err
		}
		out = old
		out.Description, out.Tags = p.Description, p.Tags
		_, err = exec(ctx, tx, "update iam policy", updateIAMPolicy, old.ID, out.Description, jsonCol{out.Tags})
		return err
	})
	if err != nil {
		return iam.Policy{}, err
	}
	return out, nil
}

// DeleteIAMPolicy deletes an unused policy with only its default version.
func (db *DB) DeleteIAMPolicy(ctx context.Context, accountID, name string) error {
	return db.mutatePolicy(ctx, "iam.policy.delete", accountID, name, func(tx *txn, p iam.Policy) error {
		var uses, versions int
		if err := queryRow(ctx, tx, policyInUseSQL, accountID, p.ARN()).Scan(&uses); err != nil {
			return mapErr(err, "count iam policy uses")
		}
		if uses > 0 {
			return inUse(p.Name, "Cannot delete a policy attached to entities.")
		}
		if err := queryRow(ctx, tx, countVersionsSQL, p.ID).Scan(&versions); err != nil {
			return mapErr(err, "count iam policy versions")
		}
		if versions > 1 {
			return inUse(p.Name, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		if _, err := exec(ctx, tx, "delete iam policy versions", deleteVersionsSQL, p.ID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "delete iam policy", deleteIAMPolicy, p.ID)
		return err
	})
}

// inUse is IAM's DeleteConflict about a policy.
func inUse(name, msg string) error {
	return errs.E(errs.Conflict, "%s", msg).WithCode("DeleteConflict").
		WithResource(store.ResourceIAMPolicy, name).WithField(store.FieldInUse)
}

// PolicyUses counts the roles, users and groups using each managed policy.
func (db *DB) PolicyUses(ctx context.Context, accountID string) (map[string]store.PolicyUse, error) {
	type count struct {
		arn string
		n   int
	}
	scan := func(s scanner) (count, error) {
		var c count
		err := s.Scan(&c.arn, &c.n)
		return c, err
	}
	attached, err := collect(ctx, db.r, "count attachments", scan, attachmentUsesSQL, accountID)
	if err != nil {
		return nil, err
	}
	bounds, err := collect(ctx, db.r, "count boundaries", scan, boundaryUsesSQL, accountID)
	if err != nil {
		return nil, err
	}
	out := map[string]store.PolicyUse{}
	for _, c := range attached {
		u := out[c.arn]
		u.Attachments = c.n
		out[c.arn] = u
	}
	for _, c := range bounds {
		u := out[c.arn]
		u.Boundaries = c.n
		out[c.arn] = u
	}
	return out, nil
}

// RolesForPolicy lists the roles using a managed policy.
func (db *DB) RolesForPolicy(ctx context.Context, accountID, policyARN, usage string) ([]iam.Role, error) {
	return collect(ctx, db.r, "list roles for policy", scanIAMRole, rolesForPolicySQL, accountID, policyARN, usage)
}
