package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

const (
	selectSourceSQL = `SELECT source FROM identity_source WHERE singleton = 1`
	upsertSourceSQL = `INSERT INTO identity_source (singleton, source) VALUES (1, $1)
ON CONFLICT (singleton) DO UPDATE SET source = excluded.source`
	// A change of sign-in ends every sign-in made the old way.
	endAllSessionsSQL = `DELETE FROM portal_sessions`
	endAllTokensSQL   = `DELETE FROM tokens`
	endAllRotatedSQL  = `DELETE FROM rotated_refresh_tokens`
	denyApprovedSQL   = `UPDATE device_authorizations SET status = $1 WHERE status = $2`
)

// IdentitySource returns the stored source, or the Identity Center
// directory when none was ever set.
func (db *DB) IdentitySource(ctx context.Context) (ic.IdentitySource, error) {
	return identitySource(ctx, db.r)
}

func identitySource(ctx context.Context, q querier) (ic.IdentitySource, error) {
	var s ic.IdentitySource
	err := queryRow(ctx, q, selectSourceSQL).Scan(jsonCol{&s})
	if errors.Is(err, sql.ErrNoRows) {
		return ic.IdentitySource{Type: ic.SourceIdentityCenter}, nil
	}
	return s, mapErr(err, "identity source")
}

// UpdateIdentitySource stores what fn returns, stamped with the time and
// the actor; a change of how people sign in ends every sign-in.
func (db *DB) UpdateIdentitySource(ctx context.Context, fn func(ic.IdentitySource) (ic.IdentitySource, error)) (ic.IdentitySource, error) {
	e := audit.New(ctx, "identitycenter.identity_source.update", "IDENTITY_SOURCE", "")
	read := func(tx *txn) (ic.IdentitySource, error) { return identitySource(ctx, tx) }
	return update(ctx, db, e, read, fn, func(tx *txn, old ic.IdentitySource, s *ic.IdentitySource) error {
		if err := s.Validate(); err != nil {
			return err
		}
		*s = stamp(ctx, db, *s)
		if _, err := exec(ctx, tx, "store identity source", upsertSourceSQL, jsonCol{*s}); err != nil {
			return err
		}
		if signInChanges(old, *s) {
			return endEverySignIn(ctx, tx)
		}
		return nil
	})
}

// stamp sets who changed s and when.
func stamp(ctx context.Context, db *DB, s ic.IdentitySource) ic.IdentitySource {
	s.UpdatedAt = db.clk.Now()
	a := audit.ActorFrom(ctx)
	s.UpdatedBy = a.Name
	if s.UpdatedBy == "" {
		s.UpdatedBy = a.ID
	}
	return s
}

// signInChanges reports whether people sign in differently under next:
// another source type, or another identity provider.
func signInChanges(old, next ic.IdentitySource) bool {
	return old.Type != next.Type || old.IdP.EntityID != next.IdP.EntityID
}

// endEverySignIn ends every portal session, SSO-OIDC token and
// authorization code, and denies
// device authorizations approved under the old sign-in but not redeemed.
func endEverySignIn(ctx context.Context, tx *txn) error {
	for _, q := range []struct{ op, sql string }{
		{"end portal sessions", endAllSessionsSQL},
		{"end tokens", endAllTokensSQL},
		{"end rotated tokens", endAllRotatedSQL},
		{"end authorization codes", endAllCodesSQL},
	} {
		if _, err := exec(ctx, tx, q.op, q.sql); err != nil {
			return err
		}
	}
	_, err := exec(ctx, tx, "deny approved devices", denyApprovedSQL, ic.DeviceDenied, ic.DeviceApproved)
	return mapErr(err, "deny approved devices")
}
