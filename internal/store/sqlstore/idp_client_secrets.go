package sqlstore

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A client's secrets are rows of their own, at most
// directory.MaxClientSecrets per client: every change counts them in its
// write transaction, which event writers take in turns, so racing
// creations cannot add a third, nor racing deactivations leave none active.
const (
	clientSecretCols      = `id, client_id, secret_hash, status, created, last_updated`
	insertClientSecretSQL = `INSERT INTO idp_oauth_client_secrets (` + clientSecretCols + `)
VALUES ($1, $2, $3, $4, $5, $6)`
	selectClientSecretSQL  = `SELECT ` + clientSecretCols + ` FROM idp_oauth_client_secrets WHERE client_id = $1 AND id = $2`
	listClientSecretsSQL   = `SELECT ` + clientSecretCols + ` FROM idp_oauth_client_secrets WHERE client_id = $1 ORDER BY created, id`
	setClientSecretSQL     = `UPDATE idp_oauth_client_secrets SET status = $3, last_updated = $4 WHERE client_id = $1 AND id = $2`
	deleteClientSecretSQL  = `DELETE FROM idp_oauth_client_secrets WHERE client_id = $1 AND id = $2`
	deleteClientSecretsSQL = `DELETE FROM idp_oauth_client_secrets WHERE client_id = $1`
)

func scanClientSecret(s scanner) (directory.ClientSecret, error) {
	var c directory.ClientSecret
	err := s.Scan(&c.ID, &c.ClientID, &c.Hash, &c.Status, timeCol{&c.Created}, timeCol{&c.LastUpdated})
	return c, err
}

// checkClientSecret refuses a secret the store cannot keep as given.
func checkClientSecret(c directory.ClientSecret) error {
	switch {
	case c.Hash == "":
		return required("a client secret's hash")
	case len(c.Hash) > maxOAuthText:
		return errs.E(errs.Invalid, "a client secret's hash must be at most %d bytes", maxOAuthText)
	case c.Status != directory.AppActive && c.Status != directory.AppInactive:
		return errs.E(errs.Invalid, "a client secret's status must be ACTIVE or INACTIVE")
	}
	return checkOAuthText(c.Hash)
}

// CreateClientSecret adds a secret to its client, refusing a third.
func (s *IdP) CreateClientSecret(ctx context.Context, c directory.ClientSecret) (directory.ClientSecret, error) {
	if err := checkClientSecret(c); err != nil {
		return directory.ClientSecret{}, err
	}
	c.ID = directory.NewClientSecretID(clock.Random)
	c.Created = s.db.clk.Now()
	c.LastUpdated = c.Created
	err := s.db.write(ctx, func(tx *txn) error {
		app, all, err := clientSecrets(ctx, tx, c.ClientID)
		if err != nil {
			return err
		}
		if len(all) >= directory.MaxClientSecrets {
			return errs.E(errs.Conflict, "client %s already has %d secrets: delete one first", c.ClientID, len(all)).
				WithResource(store.ResourceClientSecret, c.ClientID).WithField(store.FieldClientSecrets)
		}
		if err := insertClientSecret(ctx, tx, c); err != nil {
			return err
		}
		return s.event(ctx, tx, appEvent(ctx, "app.oauth2.credentials.lifecycle.create", app))
	})
	if err != nil {
		return directory.ClientSecret{}, err
	}
	return c, nil
}

func insertClientSecret(ctx context.Context, tx *txn, c directory.ClientSecret) error {
	_, err := exec(ctx, tx, "insert client secret", insertClientSecretSQL, c.ID, c.ClientID, c.Hash, string(c.Status),
		ts(c.Created), ts(c.LastUpdated))
	return err
}

// ClientSecret returns one of the client's secrets.
func (s *IdP) ClientSecret(ctx context.Context, clientID, id string) (directory.ClientSecret, error) {
	if _, err := idpApp(ctx, s.db.r, clientID); err != nil {
		return directory.ClientSecret{}, err
	}
	return clientSecret(ctx, s.db.r, clientID, id)
}

func clientSecret(ctx context.Context, q querier, clientID, id string) (directory.ClientSecret, error) {
	c, err := scanClientSecret(queryRow(ctx, q, selectClientSecretSQL, clientID, id))
	return c, notFound(err, "client secret", missing(store.ResourceClientSecret, id))
}

// ClientSecrets lists the client's secrets, oldest first.
// Most reads are the token endpoint's, for a client that has secrets: the
// app is read only when there are none, to tell "none" from "no app".
func (s *IdP) ClientSecrets(ctx context.Context, clientID string) ([]directory.ClientSecret, error) {
	all, err := collect(ctx, s.db.r, "client secrets", scanClientSecret, listClientSecretsSQL, clientID)
	if err != nil || len(all) > 0 {
		return all, err
	}
	_, err = idpApp(ctx, s.db.r, clientID)
	return all, err
}

// clientSecrets is the client's app and its secrets.
func clientSecrets(ctx context.Context, q querier, clientID string) (directory.App, []directory.ClientSecret, error) {
	app, err := idpApp(ctx, q, clientID)
	if err != nil {
		return app, nil, err
	}
	all, err := collect(ctx, q, "client secrets", scanClientSecret, listClientSecretsSQL, clientID)
	return app, all, err
}

// SetClientSecretStatus activates or deactivates a secret, keeping one
// active.
func (s *IdP) SetClientSecretStatus(ctx context.Context, clientID, id string, status directory.AppStatus) (directory.ClientSecret, error) {
	if status != directory.AppActive && status != directory.AppInactive {
		return directory.ClientSecret{}, errs.E(errs.Invalid, "a client secret's status must be ACTIVE or INACTIVE")
	}
	var out directory.ClientSecret
	err := s.db.write(ctx, func(tx *txn) error {
		app, all, err := clientSecrets(ctx, tx, clientID)
		if err != nil {
			return err
		}
		if out, err = clientSecret(ctx, tx, clientID, id); err != nil || out.Status == status {
			return err
		}
		if status == directory.AppInactive && activeSecrets(all) == 1 {
			return errs.E(errs.Conflict, "secret %s is the client's only active secret: activate or add another first", id).
				WithResource(store.ResourceClientSecret, id).WithField(store.FieldStatus)
		}
		out.Status, out.LastUpdated = status, s.db.clk.Now()
		if _, err := exec(ctx, tx, "set client secret status", setClientSecretSQL, clientID, id, string(status), ts(out.LastUpdated)); err != nil {
			return err
		}
		action := "app.oauth2.credentials.lifecycle.deactivate"
		if status == directory.AppActive {
			action = "app.oauth2.credentials.lifecycle.activate"
		}
		return s.event(ctx, tx, appEvent(ctx, action, app))
	})
	if err != nil {
		return directory.ClientSecret{}, err
	}
	return out, nil
}

func activeSecrets(all []directory.ClientSecret) int {
	n := 0
	for _, c := range all {
		if c.Status == directory.AppActive {
			n++
		}
	}
	return n
}

// DeleteClientSecret removes an inactive secret.
func (s *IdP) DeleteClientSecret(ctx context.Context, clientID, id string) error {
	return s.db.write(ctx, func(tx *txn) error {
		app, err := idpApp(ctx, tx, clientID)
		if err != nil {
			return err
		}
		c, err := clientSecret(ctx, tx, clientID, id)
		if err != nil {
			return err
		}
		if c.Status == directory.AppActive {
			return errs.E(errs.Conflict, "secret %s is active: deactivate it first", id).
				WithResource(store.ResourceClientSecret, id).WithField(store.FieldStatus)
		}
		if _, err := exec(ctx, tx, "delete client secret", deleteClientSecretSQL, clientID, id); err != nil {
			return err
		}
		return s.event(ctx, tx, appEvent(ctx, "app.oauth2.credentials.lifecycle.delete", app))
	})
}

// takeSecretHash removes the secret hash from a, which does not keep it,
// and returns it; a hash for a client that uses no secret is refused.
func takeSecretHash(a *directory.App) (string, error) {
	hash := a.OAuth.SecretHash
	a.OAuth.SecretHash = ""
	if hash != "" && !a.OAuth.UsesSecret() {
		return "", errs.E(errs.Invalid, "client %s authenticates with %q, not a secret", a.ID, a.OAuth.TokenEndpointAuthMethod)
	}
	return hash, nil
}

// replaceClientSecrets makes hash a's only secret when it names one, and
// removes a's secrets when its client no longer uses a secret.
func replaceClientSecrets(ctx context.Context, tx *txn, a directory.App, hash string, now time.Time) error {
	if hash == "" && a.OAuth.UsesSecret() {
		return nil
	}
	if _, err := exec(ctx, tx, "replace client secrets", deleteClientSecretsSQL, a.ID); err != nil || hash == "" {
		return err
	}
	c := directory.ClientSecret{ID: directory.NewClientSecretID(clock.Random), ClientID: a.ID, Hash: hash,
		Status: directory.AppActive, Created: now, LastUpdated: now}
	if err := checkClientSecret(c); err != nil {
		return err
	}
	return insertClientSecret(ctx, tx, c)
}
