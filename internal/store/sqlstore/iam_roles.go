package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

// IAM roles (iam_roles; Identity Center's provisioned roles are in roles).
const (
	iamRoleCols = `id, account_id, name, path, trust_policy, description, max_session, boundary, tags,
	created_at, last_used, last_region`
	insertIAMRoleSQL = `INSERT INTO iam_roles (` + iamRoleCols + `, name_norm)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	updateIAMRoleSQL = `UPDATE iam_roles SET trust_policy = $2, description = $3, max_session = $4,
	boundary = $5, tags = $6 WHERE id = $1`
	selectIAMRoleSQL = `SELECT ` + iamRoleCols + ` FROM iam_roles WHERE account_id = $1 AND name_norm = $2`
	listIAMRolesSQL  = `SELECT ` + iamRoleCols + ` FROM iam_roles
WHERE account_id = $1 AND substr(path, 1, CAST($3 AS INTEGER)) = $2 AND name_norm > $4
ORDER BY name_norm LIMIT CAST($5 AS INTEGER)`
	touchIAMRoleSQL = `UPDATE iam_roles SET last_used = $3, last_region = $4
WHERE account_id = $1 AND name_norm = $2 AND last_used <= $3`
	iamRoleInUseSQL = `SELECT (SELECT COUNT(*) FROM iam_role_policies WHERE role_id = $1)
	+ (SELECT COUNT(*) FROM iam_role_attachments WHERE role_id = $1)`
	deleteIAMRoleSQL = `DELETE FROM iam_roles WHERE id = $1`
	targetIAMRole    = "IAM_ROLE"
)

func errIAMRoleNotFound(name string) *errs.Error { return missing(store.ResourceIAMRole, name) }

// norm is the case-insensitive form IAM compares names in.
func norm(name string) string { return strings.ToLower(name) }

func scanIAMRole(s scanner) (iam.Role, error) {
	var r iam.Role
	err := s.Scan(&r.ID, &r.AccountID, &r.Name, &r.Path, &r.TrustPolicy, &r.Description,
		&r.MaxSessionDuration, &r.PermissionsBoundary, jsonCol{&r.Tags}, timeCol{&r.CreatedAt},
		timeCol{&r.LastUsed}, &r.LastUsedRegion)
	return r, err
}

// iamRoleEvent is an event about a role, named by its ARN.
func iamRoleEvent(ctx context.Context, action string, r iam.Role) audit.Event {
	e := audit.New(ctx, action, targetIAMRole, r.ARN())
	e.TargetName = r.Name
	return e
}

// mutateRole reads a role in a write transaction, runs fn on it and
// records action about it, or writes nothing if any step fails.
func (db *DB) mutateRole(ctx context.Context, action, accountID, name string, fn func(tx *txn, r iam.Role) error) error {
	return db.write(ctx, func(tx *txn) error {
		r, err := iamRole(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		if err := fn(tx, r); err != nil {
			return err
		}
		return db.insertEvent(ctx, tx, iamRoleEvent(ctx, action, r))
	})
}

// CreateIAMRole stores a new role.
func (db *DB) CreateIAMRole(ctx context.Context, r iam.Role) error {
	if r.ID == "" || r.AccountID == "" || r.Name == "" {
		return required("an IAM role's id, account and name")
	}
	return db.mutate(ctx, iamRoleEvent(ctx, "iam.role.create", r), func(tx *txn) error {
		if _, err := iamRole(ctx, tx, r.AccountID, r.Name); err == nil {
			return errs.E(errs.Conflict, "iam role name already taken").
				WithResource(store.ResourceIAMRole, r.Name).WithField(store.FieldName)
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		_, err := exec(ctx, tx, "create iam role", insertIAMRoleSQL, r.ID, r.AccountID, r.Name, r.Path,
			r.TrustPolicy, r.Description, r.MaxSessionDuration, r.PermissionsBoundary, jsonCol{r.Tags},
			ts(r.CreatedAt), ts(r.LastUsed), r.LastUsedRegion, norm(r.Name))
		return err
	})
}

// IAMRole returns one role.
func (db *DB) IAMRole(ctx context.Context, accountID, name string) (iam.Role, error) {
	return iamRole(ctx, db.r, accountID, name)
}

func iamRole(ctx context.Context, q querier, accountID, name string) (iam.Role, error) {
	r, err := scanIAMRole(queryRow(ctx, q, selectIAMRoleSQL, accountID, norm(name)))
	return r, notFound(err, "iam role", errIAMRoleNotFound(name))
}

// ListIAMRoles pages an account's roles under pathPrefix by name.
func (db *DB) ListIAMRoles(ctx context.Context, accountID, pathPrefix string, p store.Page) ([]iam.Role, string, error) {
	cur, err := decodeCursor("iam-roles", p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[iam.Role]{list: "iam-roles", scan: scanIAMRole, limit: p.Limit,
		key: func(r iam.Role) []string { return []string{norm(r.Name)} }}
	return pq.run(ctx, db.r, listIAMRolesSQL, accountID, pathPrefix, len(pathPrefix), cur[0], p.Limit+1)
}

// UpdateIAMRole is compare-and-swap on a role's mutable fields.
func (db *DB) UpdateIAMRole(ctx context.Context, accountID, name string, fn func(iam.Role) (iam.Role, error)) (iam.Role, error) {
	var out iam.Role
	err := db.mutateRole(ctx, "iam.role.update", accountID, name, func(tx *txn, old iam.Role) error {
		r, err := fn(old)
		if err != nil {
			return err
		}
		out = old
		out.TrustPolicy, out.Description, out.MaxSessionDuration = r.TrustPolicy, r.Description, r.MaxSessionDuration
		out.PermissionsBoundary, out.Tags = r.PermissionsBoundary, r.Tags
		_, err = exec(ctx, tx, "update iam role", updateIAMRoleSQL, old.ID, out.TrustPolicy, out.Description,
			out.MaxSessionDuration, out.PermissionsBoundary, jsonCol{out.Tags})
		return err
	})
	if err != nil {
		return iam.Role{}, err
	}
	return out, nil
}

// TouchIAMRole records a session's use of a role.
func (db *DB) TouchIAMRole(ctx context.Context, accountID, name string, at time.Time, region string) error {
	return db.writeNoEvent(ctx, func(tx *txn) error {
		if _, err := iamRole(ctx, tx, accountID, name); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "touch iam role", touchIAMRoleSQL, accountID, norm(name), ts(at), region)
		return err
	})
}

// DeleteIAMRole deletes a role with no policies left.
func (db *DB) DeleteIAMRole(ctx context.Context, accountID, name string) error {
	return db.mutateRole(ctx, "iam.role.delete", accountID, name, func(tx *txn, r iam.Role) error {
		var n int
		if err := queryRow(ctx, tx, iamRoleInUseSQL, r.ID).Scan(&n); err != nil {
			return mapErr(err, "count iam role policies")
		}
		if n > 0 {
			return errs.E(errs.Conflict, "the role still has %d policies", n).
				WithResource(store.ResourceIAMRole, name).WithField(store.FieldInUse)
		}
		_, err := exec(ctx, tx, "delete iam role", deleteIAMRoleSQL, r.ID)
		return err
	})
}
