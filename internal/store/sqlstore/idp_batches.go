package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
)

// CreateGroups stores groups in one transaction, each with its change and
// event.
func (s *IdP) CreateGroups(ctx context.Context, groups []directory.Group) ([]directory.Group, error) {
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
			if err := s.event(ctx, tx, groupEvent(ctx, "group.lifecycle.create", g)); err != nil {
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
