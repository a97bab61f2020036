package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	idpGroupCols      = `g.id, g.type, g.name, g.description, g.created, g.last_updated, g.last_membership_updated`
	insertIdPGroupSQL = `INSERT INTO idp_groups (id, type, name, name_norm, description, created, last_updated,
	last_membership_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	updateIdPGroupSQL = `UPDATE idp_groups SET type = $2, name = $3, name_norm = $4, description = $5, created = $6,
	last_updated = $7, last_membership_updated = $8 WHERE id = $1`
	selectIdPGroupSQL = `SELECT ` + idpGroupCols + ` FROM idp_groups g WHERE g.id = $1`
	idpGroupByNameSQL = `SELECT ` + idpGroupCols + ` FROM idp_groups g WHERE g.name_norm = $1`
	listIdPGroupsSQL  = `SELECT ` + idpGroupCols + ` FROM idp_groups g WHERE g.id > $1 ORDER BY g.id LIMIT CAST($2 AS INTEGER)`
	idpGroupExistsSQL = `SELECT 1 FROM idp_groups WHERE id = $1`
	deleteIdPGroupSQL = `DELETE FROM idp_groups WHERE id = $1`
	groupMemberIDsSQL = `SELECT user_id FROM idp_memberships WHERE group_id = $1 ORDER BY user_id`
)

func errIdPGroupNotFound(id string) *errs.Error { return missing(store.ResourceGroup, id) }

func scanIdPGroup(s scanner) (directory.Group, error) {
	var g directory.Group
	err := s.Scan(&g.ID, &g.Type, &g.Name, &g.Description, timeCol{&g.Created},
		timeCol{&g.LastUpdated}, timeCol{&g.LastMembershipUpdated})
	return g, err
}

// writeIdPGroup inserts or updates (per query) g.
func writeIdPGroup(ctx context.Context, tx *txn, query string, g directory.Group) error {
	if g.Name == "" {
		return required("a group's name")
	}
	if err := checkText([]any{g.Name}); err != nil {
		return err
	}
	_, err := exec(ctx, tx, "write group", query, g.ID, string(g.Type), g.Name,
		directory.NormalizeGroupName(g.Name), g.Description, ts(g.Created), ts(g.LastUpdated),
		ts(g.LastMembershipUpdated))
	return err
}

// CreateGroup stores a new group; like Okta's, its LastMembershipUpdated
// starts at its creation.
func (s *IdP) CreateGroup(ctx context.Context, g directory.Group) (directory.Group, error) {
	out, err := s.CreateGroups(ctx, []directory.Group{g})
	if err != nil {
		return directory.Group{}, err
	}
	return out[0], nil
}

// Group returns a group by id.
func (s *IdP) Group(ctx context.Context, id string) (directory.Group, error) {
	return idpGroup(ctx, s.db.r, id)
}

func idpGroup(ctx context.Context, q querier, id string) (directory.Group, error) {
	g, err := scanIdPGroup(queryRow(ctx, q, selectIdPGroupSQL, id))
	return g, notFound(err, "group", errIdPGroupNotFound(id))
}

// GroupByName finds a group by name, case-insensitively.
func (s *IdP) GroupByName(ctx context.Context, name string) (directory.Group, error) {
	if err := checkText([]any{name}); err != nil {
		return directory.Group{}, err
	}
	g, err := scanIdPGroup(queryRow(ctx, s.db.r, idpGroupByNameSQL, directory.NormalizeGroupName(name)))
	return g, notFound(err, "group by name", errIdPGroupNotFound(""))
}

// ListGroups pages groups in id order, keeping those q keeps.
func (s *IdP) ListGroups(ctx context.Context, q store.GroupQuery, p store.Page) ([]directory.Group, string, error) {
	id := func(g directory.Group) string { return g.ID }
	return keepPage("idp-groups", p, q.Keep, id, func(after string, n int) ([]directory.Group, error) {
		return collect(ctx, s.db.r, "list groups", scanIdPGroup, listIdPGroupsSQL, after, n)
	})
}

// UpdateGroup is compare-and-swap; the id and creation time cannot change.
func (s *IdP) UpdateGroup(ctx context.Context, id string, fn func(directory.Group) (directory.Group, error)) (directory.Group, error) {
	read := func(tx *txn) (directory.Group, error) { return idpGroup(ctx, tx, id) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.Group, next *directory.Group) error {
		next.ID, next.Created, next.LastUpdated = id, old.Created, s.db.clk.Now()
		if err := writeIdPGroup(ctx, tx, updateIdPGroupSQL, *next); err != nil {
			return err
		}
		if err := s.change(ctx, tx, directory.GroupChanged, "", id); err != nil {
			return err
		}
		return s.event(ctx, tx, groupEvent(ctx, "group.profile.update", *next))
	})
}

// DeleteGroup removes the group, its memberships (by ON DELETE CASCADE)
// and the role targets naming it. Each member's leaving goes on the feed:
// provisioning must learn who lost an app the group assigned, and after
// the delete nothing says who was in it.
func (s *IdP) DeleteGroup(ctx context.Context, id string) error {
	return s.db.write(ctx, func(tx *txn) error {
		members, err := collect(ctx, tx, "group members", scanString, groupMemberIDsSQL, id)
		if err != nil {
			return err
		}
		n, err := affected(ctx, tx, "delete group", deleteIdPGroupSQL, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return errIdPGroupNotFound(id)
		}
		for _, u := range members {
			if err := s.change(ctx, tx, directory.MembershipRemoved, u, id); err != nil {
				return err
			}
		}
		if err := s.dropRoleTarget(ctx, tx, id); err != nil {
			return err
		}
		if err := s.change(ctx, tx, directory.GroupDeleted, "", id); err != nil {
			return err
		}
		return s.event(ctx, tx, audit.New(ctx, "group.lifecycle.delete", targetGroup, id))
	})
}
