package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	membershipCols      = `id, group_id, user_id, created_at, created_by`
	insertMembershipSQL = `INSERT INTO memberships (id, group_id, user_id, created_at, created_by)
VALUES ($1, $2, $3, $4, $5)`
	deleteMembershipSQL = `DELETE FROM memberships WHERE id = $1 RETURNING user_id, group_id`
	selectMembershipSQL = `SELECT ` + membershipCols + ` FROM memberships WHERE id = $1`
	membershipOfSQL     = `SELECT ` + membershipCols + ` FROM memberships WHERE group_id = $1 AND user_id = $2`
	groupMembersSQL     = `SELECT ` + membershipCols + ` FROM memberships WHERE group_id = $3 AND id > $1
ORDER BY id LIMIT CAST($2 AS INTEGER)`
	userMembershipsSQL = `SELECT ` + membershipCols + ` FROM memberships WHERE user_id = $3 AND id > $1
ORDER BY id LIMIT CAST($2 AS INTEGER)`
	userExistsSQL  = `SELECT 1 FROM users WHERE id = $1`
	groupExistsSQL = `SELECT 1 FROM groups WHERE id = $1`
)

func errMembershipNotFound(id string) *errs.Error {
	return missing(store.ResourceMembership, id)
}

// CreateMembership puts a user in a group.
func (db *DB) CreateMembership(ctx context.Context, m ic.Membership) error {
	e := audit.New(ctx, "identitystore.membership.create", "GROUP_MEMBERSHIP", m.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, userExistsSQL, m.UserID, errUserNotFound(m.UserID)); err != nil {
			return err
		}
		if err := mustExist(ctx, tx, groupExistsSQL, m.GroupID, errGroupNotFound(m.GroupID)); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "insert membership", insertMembershipSQL,
			m.ID, m.GroupID, m.UserID, ts(m.CreatedAt), m.CreatedBy); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "grant the group's accounts", grantMemberSQL, m.UserID, m.GroupID)
		return err
	})
}

// mustExist returns nf unless query finds a row for id.
func mustExist(ctx context.Context, q querier, query, id string, nf *errs.Error) error {
	ok, err := exists(ctx, q, query, id)
	if err == nil && !ok {
		return nf
	}
	return err
}

// Membership returns a membership by id.
func (db *DB) Membership(ctx context.Context, id string) (ic.Membership, error) {
	m, err := scanMembership(queryRow(ctx, db.r, selectMembershipSQL, id))
	return m, notFound(err, "membership", errMembershipNotFound(id))
}

// MembershipOf returns the membership of a user in a group.
func (db *DB) MembershipOf(ctx context.Context, groupID, userID string) (ic.Membership, error) {
	m, err := scanMembership(queryRow(ctx, db.r, membershipOfSQL, groupID, userID))
	return m, notFound(err, "membership", errMembershipNotFound(""))
}

func scanMembership(s scanner) (ic.Membership, error) {
	var m ic.Membership
	err := s.Scan(&m.ID, &m.GroupID, &m.UserID, timeCol{&m.CreatedAt}, &m.CreatedBy)
	return m, err
}

func membershipKey(m ic.Membership) []string { return []string{m.ID} }

// ListMemberships pages a group's memberships in id order.
func (db *DB) ListMemberships(ctx context.Context, groupID string, p store.Page) ([]ic.Membership, string, error) {
	return db.listMemberships(ctx, "group-memberships", groupMembersSQL, groupID, p)
}

// ListMembershipsForUser pages a user's memberships in id order.
func (db *DB) ListMembershipsForUser(ctx context.Context, userID string, p store.Page) ([]ic.Membership, string, error) {
	return db.listMemberships(ctx, "user-memberships", userMembershipsSQL, userID, p)
}

func (db *DB) listMemberships(ctx context.Context, list, query, owner string, p store.Page) ([]ic.Membership, string, error) {
	pq := pageQuery[ic.Membership]{list: listName(list, owner), scan: scanMembership, key: membershipKey}
	return pq.page(ctx, db.r, p, query, owner)
}

// MemberOf reports, for each of groupIDs, whether userID is a member.
func (db *DB) MemberOf(ctx context.Context, userID string, groupIDs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(groupIDs))
	for _, id := range groupIDs {
		out[id] = false
	}
	const chunk = 500
	for len(groupIDs) > 0 {
		n := min(chunk, len(groupIDs))
		ids, err := memberGroups(ctx, db.r, userID, groupIDs[:n])
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
		groupIDs = groupIDs[n:]
	}
	return out, nil
}

// memberGroups returns which of groupIDs the user is in.
func memberGroups(ctx context.Context, q querier, userID string, groupIDs []string) ([]string, error) {
	var b strings.Builder
	b.WriteString(`SELECT group_id FROM memberships WHERE user_id = $1 AND group_id IN (`)
	args := []any{userID}
	for i, id := range groupIDs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+2))
		args = append(args, id)
	}
	b.WriteString(")")
	scan := func(s scanner) (string, error) {
		var id string
		return id, s.Scan(&id)
	}
	return collect(ctx, q, "member of", scan, b.String(), args...)
}

// DeleteMembership removes a membership.
func (db *DB) DeleteMembership(ctx context.Context, id string) error {
	e := audit.New(ctx, "identitystore.membership.delete", "GROUP_MEMBERSHIP", id)
	return db.mutate(ctx, e, func(tx *txn) error {
		var userID, groupID string
		err := queryRow(ctx, tx, deleteMembershipSQL, id).Scan(&userID, &groupID)
		if err != nil {
			return notFound(err, "delete membership", errMembershipNotFound(id))
		}
		_, err = exec(ctx, tx, "prune the group's accounts", pruneMemberSQL, userID, groupID)
		return err
	})
}
