package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// BootstrapIdP stores the first super administrator, their role (made
// SUPER_ADMIN whatever b says), an API token acting as them and the
// default authorization server (when given), in one transaction, unless a
// super administrator exists.
func (s *IdP) BootstrapIdP(ctx context.Context, b store.IdPBootstrap) (bool, error) {
	now := s.db.clk.Now()
	u := b.Admin
	if u.ID == "" {
		u.ID = directory.NewUserID(clock.Random)
	}
	u.Created, u.LastUpdated = now, now
	r := b.Role
	if r.ID == "" {
		r.ID = directory.NewRoleID(clock.Random)
	}
	r.UserID, r.Type, r.Created, r.LastUpdated = u.ID, directory.SuperAdmin, now, now
	t := b.Token
	t.UserID = u.ID
	t = s.newAPIToken(t)
	var created bool
	err := s.db.write(ctx, func(tx *txn) error {
		created = false
		found, err := exists(ctx, tx, superAdminSQL, string(directory.SuperAdmin))
		if err != nil || found {
			return err
		}
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		if err := s.insertRole(ctx, tx, r); err != nil {
			return err
		}
		if err := s.insertAPIToken(ctx, tx, t, b.TokenHash); err != nil {
			return err
		}
		if err := s.bootstrapAuthServer(ctx, tx, b.AuthServer); err != nil {
			return err
		}
		created = true
		return s.event(ctx, tx, audit.New(ctx, "keyward.idp.bootstrap", targetUser, u.ID))
	})
	return created, err
}

// bootstrapAuthServer stores the first start's authorization server, if
// it has an id.
func (s *IdP) bootstrapAuthServer(ctx context.Context, tx *txn, a directory.AuthServer) error {
	if a.ID == "" {
		return nil
	}
	if err := writeAuthServer(ctx, tx, insertAuthServerSQL, a); err != nil {
		return err
	}
	return s.event(ctx, tx, authServerEvent(ctx, "oauth2.as.created", a))
}
