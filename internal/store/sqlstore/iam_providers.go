package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
	"github.com/keyward/keyward/internal/store"
)

const (
	samlCols      = `account_id, name, metadata, entity_id, certificates, tags, created_at, valid_until`
	insertSAMLSQL = `INSERT INTO iam_saml_providers (arn, ` + samlCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	samlSQL       = `SELECT ` + samlCols + ` FROM iam_saml_providers WHERE arn = $1`
	listSAMLSQL   = `SELECT ` + samlCols + ` FROM iam_saml_providers WHERE account_id = $1 ORDER BY arn`
	updateSAMLSQL = `UPDATE iam_saml_providers SET metadata = $2, entity_id = $3, certificates = $4, tags = $5,
	valid_until = $6 WHERE arn = $1`
	deleteSAMLSQL = `DELETE FROM iam_saml_providers WHERE arn = $1`

	oidcCols      = `account_id, url, client_ids, thumbprints, tags, created_at`
	insertOIDCSQL = `INSERT INTO iam_oidc_providers (arn, ` + oidcCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	oidcSQL       = `SELECT ` + oidcCols + ` FROM iam_oidc_providers WHERE arn = $1`
	listOIDCSQL   = `SELECT ` + oidcCols + ` FROM iam_oidc_providers WHERE account_id = $1 ORDER BY arn`
	updateOIDCSQL = `UPDATE iam_oidc_providers SET client_ids = $2, thumbprints = $3, tags = $4 WHERE arn = $1`
	deleteOIDCSQL = `DELETE FROM iam_oidc_providers WHERE arn = $1`

	targetSAML = "IAM_SAML_PROVIDER"
	targetOIDC = "IAM_OIDC_PROVIDER"
)

func scanSAML(s scanner) (iam.SAMLProvider, error) {
	var p iam.SAMLProvider
	err := s.Scan(&p.AccountID, &p.Name, &p.Metadata, &p.EntityID, jsonCol{&p.Certificates}, jsonCol{&p.Tags},
		timeCol{&p.CreatedAt}, timeCol{&p.ValidUntil})
	return p, err
}

func scanOIDC(s scanner) (iam.OIDCProvider, error) {
	var p iam.OIDCProvider
	err := s.Scan(&p.AccountID, &p.URL, jsonCol{&p.ClientIDs}, jsonCol{&p.Thumbprints}, jsonCol{&p.Tags}, timeCol{&p.CreatedAt})
	return p, err
}

// orEmpty keeps JSON list columns "[]" rather than "null".
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CreateIAMSAMLProvider stores p.
func (db *DB) CreateIAMSAMLProvider(ctx context.Context, p iam.SAMLProvider) error {
	if p.AccountID == "" || p.Name == "" {
		return required("a SAML provider's account and name")
	}
	arn := p.ARN()
	return db.mutate(ctx, audit.New(ctx, "iam.samlprovider.create", targetSAML, arn), func(tx *txn) error {
		_, err := exec(ctx, tx, "create saml provider", insertSAMLSQL, arn, p.AccountID, p.Name, p.Metadata, p.EntityID,
			jsonCol{orEmpty(p.Certificates)}, jsonCol{tagsOrEmpty(p.Tags)}, ts(p.CreatedAt), ts(p.ValidUntil))
		return named(err, store.ResourceIAMSAMLProvider, store.FieldName)
	})
}

// IAMSAMLProvider finds a provider by ARN.
func (db *DB) IAMSAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error) {
	return samlProvider(ctx, db.r, arn)
}

func samlProvider(ctx context.Context, q querier, arn string) (iam.SAMLProvider, error) {
	p, err := scanSAML(queryRow(ctx, q, samlSQL, arn))
	return p, notFound(err, "saml provider", missing(store.ResourceIAMSAMLProvider, arn))
}

// ListIAMSAMLProviders lists the account's providers by ARN.
func (db *DB) ListIAMSAMLProviders(ctx context.Context, accountID string) ([]iam.SAMLProvider, error) {
	return collect(ctx, db.r, "list saml providers", scanSAML, listSAMLSQL, accountID)
}

// UpdateIAMSAMLProvider is compare-and-swap over the metadata and tags.
func (db *DB) UpdateIAMSAMLProvider(ctx context.Context, arn string, fn func(iam.SAMLProvider) (iam.SAMLProvider, error)) (iam.SAMLProvider, error) {
	read := func(tx *txn) (iam.SAMLProvider, error) { return samlProvider(ctx, tx, arn) }
	write := func(tx *txn, old iam.SAMLProvider, p *iam.SAMLProvider) error {
		p.AccountID, p.Name, p.CreatedAt = old.AccountID, old.Name, old.CreatedAt
		_, err := exec(ctx, tx, "update saml provider", updateSAMLSQL, arn, p.Metadata, p.EntityID,
			jsonCol{orEmpty(p.Certificates)}, jsonCol{tagsOrEmpty(p.Tags)}, ts(p.ValidUntil))
		return err
	}
	return update(ctx, db, audit.New(ctx, "iam.samlprovider.update", targetSAML, arn), read, fn, write)
}

// DeleteIAMSAMLProvider deletes a provider.
func (db *DB) DeleteIAMSAMLProvider(ctx context.Context, arn string) error {
	return db.deleteByKey(ctx, audit.New(ctx, "iam.samlprovider.delete", targetSAML, arn), deleteSAMLSQL, arn,
		missing(store.ResourceIAMSAMLProvider, arn))
}

// deleteByKey deletes the row query names by key, or returns nf.
func (db *DB) deleteByKey(ctx context.Context, e audit.Event, query, key string, nf *errs.Error) error {
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, nf, e.Action, query, key)
	})
}

// CreateIAMOIDCProvider stores p.
func (db *DB) CreateIAMOIDCProvider(ctx context.Context, p iam.OIDCProvider) error {
	if p.AccountID == "" || p.URL == "" {
		return required("an OIDC provider's account and URL")
	}
	arn := p.ARN()
	return db.mutate(ctx, audit.New(ctx, "iam.oidcprovider.create", targetOIDC, arn), func(tx *txn) error {
		_, err := exec(ctx, tx, "create oidc provider", insertOIDCSQL, arn, p.AccountID, p.URL, jsonCol{orEmpty(p.ClientIDs)},
			jsonCol{orEmpty(p.Thumbprints)}, jsonCol{tagsOrEmpty(p.Tags)}, ts(p.CreatedAt))
		return named(err, store.ResourceIAMOIDCProvider, store.FieldName)
	})
}

// IAMOIDCProvider finds a provider by ARN.
func (db *DB) IAMOIDCProvider(ctx context.Context, arn string) (iam.OIDCProvider, error) {
	return oidcProvider(ctx, db.r, arn)
}

func oidcProvider(ctx context.Context, q querier, arn string) (iam.OIDCProvider, error) {
	p, err := scanOIDC(queryRow(ctx, q, oidcSQL, arn))
	return p, notFound(err, "oidc provider", missing(store.ResourceIAMOIDCProvider, arn))
}

// ListIAMOIDCProviders lists the account's providers by ARN.
func (db *DB) ListIAMOIDCProviders(ctx context.Context, accountID string) ([]iam.OIDCProvider, error) {
	return collect(ctx, db.r, "list oidc providers", scanOIDC, listOIDCSQL, accountID)
}

// UpdateIAMOIDCProvider is compare-and-swap over client ids, thumbprints and tags.
func (db *DB) UpdateIAMOIDCProvider(ctx context.Context, arn string, fn func(iam.OIDCProvider) (iam.OIDCProvider, error)) (iam.OIDCProvider, error) {
	read := func(tx *txn) (iam.OIDCProvider, error) { return oidcProvider(ctx, tx, arn) }
	write := func(tx *txn, old iam.OIDCProvider, p *iam.OIDCProvider) error {
		p.AccountID, p.URL, p.CreatedAt = old.AccountID, old.URL, old.CreatedAt
		_, err := exec(ctx, tx, "update oidc provider", updateOIDCSQL, arn, jsonCol{orEmpty(p.ClientIDs)},
			jsonCol{orEmpty(p.Thumbprints)}, jsonCol{tagsOrEmpty(p.Tags)})
		return err
	}
	return update(ctx, db, audit.New(ctx, "iam.oidcprovider.update", targetOIDC, arn), read, fn, write)
}

// DeleteIAMOIDCProvider deletes a provider.
func (db *DB) DeleteIAMOIDCProvider(ctx context.Context, arn string) error {
	return db.deleteByKey(ctx, audit.New(ctx, "iam.oidcprovider.delete", targetOIDC, arn), deleteOIDCSQL, arn,
		missing(store.ResourceIAMOIDCProvider, arn))
}
