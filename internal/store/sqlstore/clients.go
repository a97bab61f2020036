package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	clientCols      = `id, secret_hash, name, type, scopes, grant_types, redirect_uris, issuer_url, issued_at, expires_at`
	insertClientSQL = `INSERT INTO oidc_clients (` + clientCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	selectClientSQL = `SELECT ` + clientCols + ` FROM oidc_clients WHERE id = $1`
)

// CreateClient registers an SSO-OIDC client.
func (db *DB) CreateClient(ctx context.Context, c ic.Client) error {
	e := audit.New(ctx, "ssooidc.client.register", "OIDC_CLIENT", c.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "insert client", insertClientSQL, c.ID, c.SecretHash, c.Name, c.Type,
			jsonCol{c.Scopes}, jsonCol{list(c.GrantTypes)}, jsonCol{list(c.RedirectURIs)}, c.IssuerURL,
			ts(c.IssuedAt), ts(c.ExpiresAt))
		return err
	})
}

// Client returns a registered client.
func (db *DB) Client(ctx context.Context, id string) (ic.Client, error) {
	var c ic.Client
	err := queryRow(ctx, db.r, selectClientSQL, id).Scan(&c.ID, &c.SecretHash, &c.Name, &c.Type,
		jsonCol{&c.Scopes}, jsonCol{&c.GrantTypes}, jsonCol{&c.RedirectURIs}, &c.IssuerURL,
		timeCol{&c.IssuedAt}, timeCol{&c.ExpiresAt})
	return c, notFound(err, "client", missing(store.ResourceClient, id))
}
