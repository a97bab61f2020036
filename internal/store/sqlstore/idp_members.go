package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertIdPMemberSQL = `INSERT INTO idp_memberships (group_id, user_id, created) VALUES ($1, $2, $3)
ON CONFLICT (group_id, user_id) DO NOTHING`
	deleteIdPMemberSQL = `DELETE FROM idp_memberships WHERE group_id = $1 AND user_id = $2`
	touchGroupSQL      = `UPDATE idp_groups SET last_membership_updated = $2 WHERE id = $1`
	listIdPMembersSQL  = `SELECT ` + idpUserCols + ` FROM idp_memberships m JOIN idp_users u ON u.id = m.user_id
WHERE m.group_id = $3 AND m.user_id > $1 ORDER BY m.user_id LIMIT CAST($2 AS INTEGER)`
	countIdPMembersSQL = `SELECT COUNT(*) FROM idp_memberships WHERE group_id = $1`
)

// AddMember puts the user in the group, reporting false (and writing
// nothing) when they were in it already.
func (s *IdP) AddMember(ctx context.Context, groupID, userID string) (bool, error) {
	var added bool
	err := s.db.write(ctx, func(tx *txn) (err error) {
		added, err = s.addMember(ctx, tx, groupID, userID)
		return err
	})
	return added, err
}

func (s *IdP) addMember(ctx context.Context, tx *txn, groupID, userID string) (bool, error) {
	if err := mustExist(ctx, tx, idpGroupExistsSQL, groupID, errIdPGroupNotFound(groupID)); err != nil {
		return false, err
	}
	if err := mustExist(ctx, tx, idpUserExistsSQL, userID, errIdPUserNotFound(userID)); err != nil {
		return false, err
	}
	now := s.db.clk.Now()
	n, err := affected(ctx, tx, "add member", insertIdPMemberSQL, groupID, userID, ts(now))
	if err != nil || n == 0 {
		return false, err
	}
	return true, s.membershipChanged(ctx, tx, directory.MembershipAdded, groupID, userID)
}

// membershipChanged records a join or leave on the group, the feed and the log.
func (s *IdP) membershipChanged(ctx context.Context, tx *txn, kind directory.ChangeKind, groupID, userID string) error {
	if _, err := exec(ctx, tx, "touch group", touchGroupSQL, groupID, ts(s.db.clk.Now())); err != nil {
		return err
	}
	if err := s.change(ctx, tx, kind, userID, groupID); err != nil {
		return err
	}
	action := "group.user_membership.add"
	if kind == directory.MembershipRemoved {
		action = "group.user_membership.remove"
	}
	e := audit.New(ctx, action, targetUser, userID)
	e.Message = "group " + groupID
	return s.event(ctx, tx, e)
}

// RemoveMember takes the user out of the group, reporting false (and
// writing nothing) when they were not in it.
func (s *IdP) RemoveMember(ctx context.Context, groupID, userID string) (bool, error) {
	var removed bool
	err := s.db.write(ctx, func(tx *txn) error {
		if err := mustExist(ctx, tx, idpGroupExistsSQL, groupID, errIdPGroupNotFound(groupID)); err != nil {
			return err
		}
		n, err := affected(ctx, tx, "remove member", deleteIdPMemberSQL, groupID, userID)
		if err != nil || n == 0 {
			return err
		}
		removed = true
		return s.membershipChanged(ctx, tx, directory.MembershipRemoved, groupID, userID)
	})
	return removed, err
}

// ListMembers pages the group's members in user-id order, keeping those q
// keeps.
func (s *IdP) ListMembers(ctx context.Context, groupID string, q store.UserQuery, p store.Page) ([]directory.User, string, error) {
	if err := mustExist(ctx, s.db.r, idpGroupExistsSQL, groupID, errIdPGroupNotFound(groupID)); err != nil {
		return nil, "", err
	}
	return keepPage("idp-members", p, q.Keep, userID, func(after string, n int) ([]directory.User, error) {
		return collect(ctx, s.db.r, "list members", scanIdPUser, listIdPMembersSQL, after, n, groupID)
	})
}

// CountMembers counts the group's members.
func (s *IdP) CountMembers(ctx context.Context, groupID string) (int, error) {
	if err := mustExist(ctx, s.db.r, idpGroupExistsSQL, groupID, errIdPGroupNotFound(groupID)); err != nil {
		return 0, err
	}
	var n int
	err := queryRow(ctx, s.db.r, countIdPMembersSQL, groupID).Scan(&n)
	return n, mapErr(err, "count members")
}
