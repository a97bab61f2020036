package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	putTagSQL = `INSERT INTO org_tags (resource_id, tag_key, tag_value) VALUES ($1, $2, $3)
ON CONFLICT (resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`
	deleteTagSQL = `DELETE FROM org_tags WHERE resource_id = $1 AND tag_key = $2`
	countTagsSQL = `SELECT COUNT(*) FROM org_tags WHERE resource_id = $1`
	listTagsSQL  = `SELECT tag_key, tag_value FROM org_tags WHERE resource_id = $1 ORDER BY tag_key`
)

// putTags adds or replaces tags on a resource, refusing more than
// ic.MaxOrgTags in all.
func putTags(ctx context.Context, tx *txn, resourceID string, tags []ic.Tag) error {
	if len(tags) == 0 {
		return nil
	}
	for _, t := range tags {
		if _, err := exec(ctx, tx, "put tag", putTagSQL, resourceID, t.Key, t.Value); err != nil {
			return err
		}
	}
	var n int
	if err := queryRow(ctx, tx, countTagsSQL, resourceID).Scan(&n); err != nil {
		return mapErr(err, "count tags")
	}
	if n > ic.MaxOrgTags {
		return errs.E(errs.Conflict, "%s would carry %d tags", resourceID, n).
			WithResource(store.ResourcePolicyTarget, resourceID).WithField(store.FieldTagLimit)
	}
	return nil
}

// TagOrgResource adds tags to an account, OU, root or policy.
func (db *DB) TagOrgResource(ctx context.Context, resourceID string, tags []ic.Tag) error {
	e := audit.New(ctx, "organizations.resource.tag", ic.OrgKindOf(resourceID), resourceID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustBeTarget(ctx, tx, resourceID, true); err != nil {
			return err
		}
		return putTags(ctx, tx, resourceID, tags)
	})
}

// UntagOrgResource removes tag keys from a resource.
func (db *DB) UntagOrgResource(ctx context.Context, resourceID string, keys []string) error {
	e := audit.New(ctx, "organizations.resource.untag", ic.OrgKindOf(resourceID), resourceID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustBeTarget(ctx, tx, resourceID, true); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := exec(ctx, tx, "delete tag", deleteTagSQL, resourceID, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// OrgResourceTags returns a resource's tags in key order.
func (db *DB) OrgResourceTags(ctx context.Context, resourceID string) ([]ic.Tag, error) {
	if err := mustBeTarget(ctx, db.r, resourceID, true); err != nil {
		return nil, err
	}
	return collect(ctx, db.r, "tags", func(s scanner) (ic.Tag, error) {
		var t ic.Tag
		err := s.Scan(&t.Key, &t.Value)
		return t, err
	}, listTagsSQL, resourceID)
}
