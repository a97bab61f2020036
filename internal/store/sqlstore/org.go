package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertOrgSQL = `INSERT INTO organization (singleton, id, management_account_id,
	management_email, root_key_id, created_at) VALUES (1, $1, $2, $3, $4, $5)`
	selectOrgSQL = `SELECT id, management_account_id, management_email, created_at, root_key_id
FROM organization WHERE singleton = 1`
	insertInstanceSQL = `INSERT INTO instance (singleton, id, identity_store_id,
	owner_account_id, name, created_at) VALUES (1, $1, $2, $3, $4, $5)`
	selectInstanceSQL = `SELECT id, identity_store_id, owner_account_id, name, created_at, tags,
	access_control FROM instance WHERE singleton = 1`
	insertAccessKeySQL = `INSERT INTO access_keys (id, account_id, sealed_secret, created_at)
VALUES ($1, $2, $3, $4)`
	selectAccessKeySQL = `SELECT id, account_id, sealed_secret, created_at FROM access_keys WHERE id = $1`
)

// Bootstrap stores b unless an organization exists, in which case it
// returns what is stored.
func (db *DB) Bootstrap(ctx context.Context, b store.Bootstrap) (store.Bootstrap, bool, error) {
	var got store.Bootstrap
	var created bool
	err := db.write(ctx, func(tx *txn) error {
		stored, err := loadBootstrap(ctx, tx)
		if !errs.Is(err, errs.NotFound) {
			got, created = stored, false
			return err
		}
		if err := insertBootstrap(ctx, tx, b); err != nil {
			return err
		}
		got, created = b, true
		return db.insertEvent(ctx, tx, audit.New(ctx, "keyward.bootstrap", "ORGANIZATION", b.Organization.ID))
	})
	if err != nil {
		return store.Bootstrap{}, false, err
	}
	return got, created, nil
}

func insertBootstrap(ctx context.Context, tx *txn, b store.Bootstrap) error {
	o, i, k := b.Organization, b.Instance, b.RootKey
	if err := insertAccount(ctx, tx, b.ManagementAccount); err != nil {
		return err
	}
	if err := insertRoot(ctx, tx, o); err != nil {
		return err
	}
	if err := placeAccount(ctx, tx, b.ManagementAccount.ID); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "insert organization", insertOrgSQL,
		o.ID, o.ManagementAccountID, o.ManagementEmail, k.ID, ts(o.CreatedAt)); err != nil {
		return err
	}
	if _, err := exec(ctx, tx, "insert instance", insertInstanceSQL,
		i.ID, i.IdentityStoreID, i.OwnerAccountID, i.Name, ts(i.CreatedAt)); err != nil {
		return err
	}
	if k.ID == "" {
		return nil
	}
	_, err := exec(ctx, tx, "insert access key", insertAccessKeySQL,
		k.ID, k.AccountID, append([]byte{}, k.SealedSecret...), ts(k.CreatedAt))
	return err
}

// loadBootstrap reads everything Bootstrap stored, or errs.NotFound.
func loadBootstrap(ctx context.Context, q querier) (store.Bootstrap, error) {
	var b store.Bootstrap
	o, keyID, err := organization(ctx, q)
	if err != nil {
		return b, err
	}
	b.Organization = o
	if b.ManagementAccount, err = account(ctx, q, o.ManagementAccountID); err != nil {
		return b, err
	}
	if b.Instance, err = instance(ctx, q); err != nil {
		return b, err
	}
	if keyID != "" {
		b.RootKey, err = accessKey(ctx, q, keyID)
	}
	return b, err
}

// Organization returns the organization, or errs.NotFound before bootstrap.
func (db *DB) Organization(ctx context.Context) (ic.Organization, error) {
	o, _, err := organization(ctx, db.r)
	return o, err
}

func organization(ctx context.Context, q querier) (ic.Organization, string, error) {
	var o ic.Organization
	var keyID string
	err := queryRow(ctx, q, selectOrgSQL).Scan(&o.ID, &o.ManagementAccountID,
		&o.ManagementEmail, timeCol{&o.CreatedAt}, &keyID)
	return o, keyID, notFound(err, "organization", missing(store.ResourceOrganization, ""))
}

// Instance returns the Identity Center instance, or errs.NotFound before bootstrap.
func (db *DB) Instance(ctx context.Context) (ic.Instance, error) { return instance(ctx, db.r) }

func instance(ctx context.Context, q querier) (ic.Instance, error) {
	var i ic.Instance
	err := queryRow(ctx, q, selectInstanceSQL).Scan(&i.ID, &i.IdentityStoreID,
		&i.OwnerAccountID, &i.Name, timeCol{&i.CreatedAt}, jsonCol{&i.Tags}, jsonCol{&i.AccessControl})
	return i, notFound(err, "instance", missing(store.ResourceInstance, ""))
}

// AccessKey returns a root access key.
func (db *DB) AccessKey(ctx context.Context, id string) (ic.AccessKey, error) {
	return accessKey(ctx, db.r, id)
}

func accessKey(ctx context.Context, q querier, id string) (ic.AccessKey, error) {
	var k ic.AccessKey
	err := queryRow(ctx, q, selectAccessKeySQL, id).Scan(&k.ID, &k.AccountID,
		&k.SealedSecret, timeCol{&k.CreatedAt})
	return k, notFound(err, "access key", missing(store.ResourceAccessKey, id))
}

// notFound maps sql.ErrNoRows to nf and any other error through mapErr.
func notFound(err error, op string, nf *errs.Error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nf
	}
	return mapErr(err, op)
}
