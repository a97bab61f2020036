package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	selectTargetSQL = `SELECT app_id, kind, object_id, target_id, updated FROM idp_provisioning_targets
WHERE app_id = $1 AND kind = $2 AND object_id = $3`
	listTargetsSQL = `SELECT app_id, kind, object_id, target_id, updated FROM idp_provisioning_targets
WHERE app_id = $1 AND kind = $2 ORDER BY object_id`
	upsertTargetSQL = `INSERT INTO idp_provisioning_targets (app_id, kind, object_id, target_id, updated)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (app_id, kind, object_id) DO UPDATE SET target_id = excluded.target_id,
updated = excluded.updated`
	deleteTargetSQL       = `DELETE FROM idp_provisioning_targets WHERE app_id = $1 AND kind = $2 AND object_id = $3`
	deleteUserMembersSQL  = `DELETE FROM idp_provisioning_members WHERE app_id = $1 AND user_id = $2`
	deleteGroupMembersSQL = `DELETE FROM idp_provisioning_members WHERE app_id = $1 AND group_id = $2`
	pushedMembersSQL      = `SELECT user_id FROM idp_provisioning_members WHERE app_id = $1 AND group_id = $2 ORDER BY user_id`
	pushedGroupsSQL       = `SELECT group_id FROM idp_provisioning_members WHERE app_id = $1 AND user_id = $2 ORDER BY group_id`
	insertPushedMemberSQL = `INSERT INTO idp_provisioning_members (app_id, group_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	deletePushedMemberSQL = `DELETE FROM idp_provisioning_members WHERE app_id = $1 AND group_id = $2 AND user_id = $3`
)

func scanTarget(sc scanner) (store.ProvisionTarget, error) {
	var t store.ProvisionTarget
	err := sc.Scan(&t.AppID, &t.Kind, &t.ObjectID, &t.TargetID, timeCol{&t.Updated})
	return t, err
}

// ProvisionTarget returns the target id of an object.
func (s *IdP) ProvisionTarget(ctx context.Context, k store.ProvisionKey) (store.ProvisionTarget, error) {
	got, err := collect(ctx, s.db.r, "provisioning target", scanTarget, selectTargetSQL, k.AppID, k.Kind, k.ObjectID)
	if err != nil {
		return store.ProvisionTarget{}, err
	}
	if len(got) == 0 {
		return store.ProvisionTarget{}, errs.E(errs.NotFound, "%s %s is not provisioned to app %s", k.Kind, k.ObjectID, k.AppID).
			WithResource(store.ResourceTarget, k.ObjectID)
	}
	return got[0], nil
}

// PutProvisionTarget records (or moves) an object's target id.
func (s *IdP) PutProvisionTarget(ctx context.Context, t store.ProvisionTarget) error {
	if t.AppID == "" || t.ObjectID == "" || t.TargetID == "" {
		return required("an app id, an object id and a target id")
	}
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		_, err := exec(ctx, tx, "put provisioning target", upsertTargetSQL, t.AppID, t.Kind, t.ObjectID, t.TargetID, ts(t.Updated))
		return err
	})
}

// DeleteProvisionTarget drops an object's mapping and pushed memberships.
func (s *IdP) DeleteProvisionTarget(ctx context.Context, k store.ProvisionKey) error {
	members := deleteUserMembersSQL
	if k.Kind == store.ProvisionGroup {
		members = deleteGroupMembersSQL
	}
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		if _, err := exec(ctx, tx, "delete provisioning target", deleteTargetSQL, k.AppID, k.Kind, k.ObjectID); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "delete pushed members", members, k.AppID, k.ObjectID)
		return err
	})
}

// ListProvisionTargets lists the app's mappings of kind.
func (s *IdP) ListProvisionTargets(ctx context.Context, appID, kind string) ([]store.ProvisionTarget, error) {
	return collect(ctx, s.db.r, "provisioning targets", scanTarget, listTargetsSQL, appID, kind)
}

func scanID(sc scanner) (string, error) {
	var id string
	return id, sc.Scan(&id)
}

// PushedMembers lists the users pushed as the group's members.
func (s *IdP) PushedMembers(ctx context.Context, appID, groupID string) ([]string, error) {
	return collect(ctx, s.db.r, "pushed members", scanID, pushedMembersSQL, appID, groupID)
}

// PushedGroups lists the groups the user was pushed into.
func (s *IdP) PushedGroups(ctx context.Context, appID, userID string) ([]string, error) {
	return collect(ctx, s.db.r, "pushed groups", scanID, pushedGroupsSQL, appID, userID)
}

// RecordMembers records membership changes made at the target.
func (s *IdP) RecordMembers(ctx context.Context, appID, groupID string, added, removed []string) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		for _, u := range added {
			if _, err := exec(ctx, tx, "record member", insertPushedMemberSQL, appID, groupID, u); err != nil {
				return err
			}
		}
		for _, u := range removed {
			if _, err := exec(ctx, tx, "record member", deletePushedMemberSQL, appID, groupID, u); err != nil {
				return err
			}
		}
		return nil
	})
}
