package sqlstore

import (
	"context"
	"time"
)

// purges delete, each through an index, what can no longer be used: rows
// that expired at least keep ago.
var purges = []struct {
	what, sql string
	keep      time.Duration
}{
	// A spent refresh token's row lives on only while its access token may.
	{"spent tokens", `DELETE FROM tokens WHERE refresh_hash IS NULL AND expires_at <= $1`, 0},
	{"expired tokens", `DELETE FROM tokens WHERE refresh_expires_at <= $1 AND expires_at <= $1`, 0},
	{"rotated refresh tokens", `DELETE FROM rotated_refresh_tokens WHERE expires_at <= $1`, 0},
	{"portal sessions", `DELETE FROM portal_sessions WHERE expires_at <= $1`, 0},
	{"rate-limit windows", `DELETE FROM rate_limits WHERE expires_at <= $1`, 0},
	{"device authorizations", `DELETE FROM device_authorizations WHERE expires_at <= $1`, deviceRetention},
	{"authorization codes", `DELETE FROM oidc_codes WHERE expires_at <= $1`, 0},
	// The identity provider's: reads treat these as gone at the same instant.
	{"idp sessions", `DELETE FROM idp_sessions WHERE expires_at <= $1`, 0},
	{"idle idp sessions", `DELETE FROM idp_sessions WHERE idle_expires_at <= $1`, 0},
	{"one-time links", `DELETE FROM idp_user_tokens WHERE expires_at <= $1`, 0},
	{"api tokens", `DELETE FROM idp_api_tokens WHERE expires_at <= $1`, 0},
	{"one-time keys", `DELETE FROM one_time_keys WHERE expires_at <= $1`, 0},
	// The identity provider's OAuth grants (idp_oauth_*.go). A refresh
	// token that never expires is remembered as spent while its family
	// has tokens: after that a replay has nothing left to revoke.
	{"oauth codes", `DELETE FROM idp_oauth_codes WHERE expires_at <= $1`, 0},
	{"oauth device authorizations", `DELETE FROM idp_oauth_devices WHERE expires_at <= $1`, deviceRetention},
	{"spent oauth tokens", `DELETE FROM idp_oauth_tokens WHERE refresh_hash IS NULL AND expires_at <= $1`, 0},
	{"expired oauth tokens", `DELETE FROM idp_oauth_tokens
WHERE expires_at <= $1 AND refresh_expires_at > 0 AND refresh_expires_at <= $1`, 0},
	{"spent oauth refresh tokens", `DELETE FROM idp_oauth_spent_refresh WHERE expires_at <= $1 AND (expires_at > 0
OR NOT EXISTS (SELECT 1 FROM idp_oauth_tokens t WHERE t.family_id = idp_oauth_spent_refresh.family_id))`, 0},
}

// Purge deletes expired tokens, rotation records, sessions, rate-limit
// windows, device authorizations and the identity provider's expired
// sessions, one-time links, API tokens and OAuth codes, device
// authorizations and tokens, each purge in its own short write (and
// expired one-time keys).
// It writes no event: nothing anyone could still use changes.
func (db *DB) Purge(ctx context.Context) (int64, error) {
	now := db.clk.Now()
	var total int64
	for _, p := range purges {
		var n int64
		err := db.writeNoEvent(ctx, func(tx *txn) (err error) {
			n, err = affected(ctx, tx, "purge "+p.what, p.sql, ts(now.Add(-p.keep)))
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
