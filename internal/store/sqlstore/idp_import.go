package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// ImportGroups stores the groups in one transaction, each as CreateGroup
// does.
func (s *IdP) ImportGroups(ctx context.Context, groups []directory.Group) ([]directory.Group, error) {
	now := s.db.clk.Now()
	out := make([]directory.Group, len(groups))
	for i, g := range groups {
		if g.ID == "" {
			g.ID = directory.NewGroupID(clock.Random)
		}
		g.Created, g.LastUpdated, g.LastMembershipUpdated = now, now, now
		out[i] = g
	}
	err := s.db.write(ctx, func(tx *txn) error {
		for _, g := range out {
			if err := writeIdPGroup(ctx, tx, insertIdPGroupSQL, g); err != nil {
				return err
			}
			if err := s.change(ctx, tx, directory.GroupChanged, "", g.ID); err != nil {
				return err
			}
			if err := s.event(ctx, tx, audit.New(ctx, "group.lifecycle.create", targetGroup, g.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportUsers stores the users in one transaction, each as CreateUser
// does, users[i] in groupIDs[i].
func (s *IdP) ImportUsers(ctx context.Context, users []directory.User, groupIDs [][]string) ([]directory.User, error) {
	if groupIDs != nil && len(groupIDs) != len(users) {
		return nil, errs.E(errs.Invalid, "import: %d users but %d group lists", len(users), len(groupIDs))
	}
	now := s.db.clk.Now()
	out := make([]directory.User, len(users))
	for i, u := range users {
		if u.ID == "" {
			u.ID = directory.NewUserID(clock.Random)
		}
		u.Created, u.LastUpdated = now, now
		out[i] = u
	}
	err := s.db.write(ctx, func(tx *txn) error {
		for i, u := range out {
			if err := s.insertUser(ctx, tx, u); err != nil {
				return err
			}
			if groupIDs == nil {
				continue
			}
			for _, g := range unique(groupIDs[i]) {
				if _, err := s.addMember(ctx, tx, g, u.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
