package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	insertDelegationSQL = `INSERT INTO org_delegated_admins (account_id, service_principal, enabled_at)
VALUES ($1, $2, $3)`
	countAdminsSQL      = `SELECT COUNT(*) FROM org_delegated_admins WHERE service_principal = $1`
	delegationExistsSQL = `SELECT 1 FROM org_delegated_admins WHERE account_id = $1 AND service_principal = $2`
	deleteDelegationSQL = `DELETE FROM org_delegated_admins WHERE account_id = $1 AND service_principal = $2`
	adminsForServiceSQL = `SELECT account_id, service_principal, enabled_at FROM org_delegated_admins
WHERE service_principal = $1 AND account_id > $2 ORDER BY account_id LIMIT CAST($3 AS INTEGER)`
	allAdminsSQL = `SELECT account_id, '', MIN(enabled_at) FROM org_delegated_admins
WHERE account_id > $1 GROUP BY account_id ORDER BY account_id LIMIT CAST($2 AS INTEGER)`
	servicesForAdminSQL = `SELECT account_id, service_principal, enabled_at FROM org_delegated_admins
WHERE account_id = $1 AND service_principal > $2 ORDER BY service_principal LIMIT CAST($3 AS INTEGER)`
	enableAccessSQL = `INSERT INTO org_service_access (service_principal, enabled_at) VALUES ($1, $2)
ON CONFLICT (service_principal) DO NOTHING`
	disableAccessSQL = `DELETE FROM org_service_access WHERE service_principal = $1`
	selectAccessSQL  = `SELECT service_principal, enabled_at FROM org_service_access WHERE service_principal = $1`
	listAccessSQL    = `SELECT service_principal, enabled_at FROM org_service_access WHERE service_principal > $1
ORDER BY service_principal LIMIT CAST($2 AS INTEGER)`
)

// RegisterDelegatedAdmin makes an account a delegated administrator of a service.
func (db *DB) RegisterDelegatedAdmin(ctx context.Context, d ic.DelegatedAdmin, maxPerService int) error {
	e := audit.New(ctx, "organizations.delegatedadmin.register", ic.KindAccount, d.AccountID)
	e.Detail = withDetail(e.Detail, "servicePrincipal", d.ServicePrincipal)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, accountExistsSQL, d.AccountID, errAccountNotFound(d.AccountID)); err != nil {
			return err
		}
		taken, err := exists(ctx, tx, delegationExistsSQL, d.AccountID, d.ServicePrincipal)
		if err != nil {
			return err
		}
		if taken {
			return errs.E(errs.Conflict, "account %s already administers %s", d.AccountID, d.ServicePrincipal).
				WithResource(store.ResourceDelegation, d.AccountID).WithField(store.FieldID)
		}
		if err := checkAdminLimit(ctx, tx, d.ServicePrincipal, maxPerService); err != nil {
			return err
		}
		_, err = exec(ctx, tx, "register delegated admin", insertDelegationSQL, d.AccountID, d.ServicePrincipal, ts(d.EnabledAt))
		return err
	})
}

// checkAdminLimit refuses one more administrator of a service that has
// max (when above 0).
func checkAdminLimit(ctx context.Context, tx *txn, servicePrincipal string, max int) error {
	if max <= 0 {
		return nil
	}
	var n int
	if err := queryRow(ctx, tx, countAdminsSQL, servicePrincipal).Scan(&n); err != nil {
		return mapErr(err, "count delegated admins")
	}
	if n >= max {
		return errs.E(errs.Conflict, "%s already has %d delegated administrators", servicePrincipal, n).
			WithResource(store.ResourceDelegation, "").WithField(store.FieldLimit)
	}
	return nil
}

// DeregisterDelegatedAdmin removes a delegation.
func (db *DB) DeregisterDelegatedAdmin(ctx context.Context, accountID, servicePrincipal string) error {
	e := audit.New(ctx, "organizations.delegatedadmin.deregister", ic.KindAccount, accountID)
	e.Detail = withDetail(e.Detail, "servicePrincipal", servicePrincipal)
	return db.mutate(ctx, e, func(tx *txn) error {
		return changeRow(ctx, tx, missing(store.ResourceDelegation, accountID), "deregister delegated admin",
			deleteDelegationSQL, accountID, servicePrincipal)
	})
}

func scanDelegation(s scanner) (ic.DelegatedAdmin, error) {
	var d ic.DelegatedAdmin
	err := s.Scan(&d.AccountID, &d.ServicePrincipal, timeCol{&d.EnabledAt})
	return d, err
}

// ListDelegatedAdmins pages delegated administrators in account order.
func (db *DB) ListDelegatedAdmins(ctx context.Context, servicePrincipal string, p store.Page) ([]ic.DelegatedAdmin, string, error) {
	list := "delegated-admins:" + servicePrincipal
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.DelegatedAdmin]{list: list, scan: scanDelegation, limit: p.Limit,
		key: func(d ic.DelegatedAdmin) []string { return []string{d.AccountID} }}
	if servicePrincipal == "" {
		return pq.run(ctx, db.r, allAdminsSQL, cur[0], p.Limit+1)
	}
	return pq.run(ctx, db.r, adminsForServiceSQL, servicePrincipal, cur[0], p.Limit+1)
}

// ListDelegatedServices pages an account's delegations in service order.
func (db *DB) ListDelegatedServices(ctx context.Context, accountID string, p store.Page) ([]ic.DelegatedAdmin, string, error) {
	list := "delegated-services:" + accountID
	cur, err := decodeCursor(list, p, 1)
	if err != nil {
		return nil, "", err
	}
	pq := pageQuery[ic.DelegatedAdmin]{list: list, scan: scanDelegation, limit: p.Limit,
		key: func(d ic.DelegatedAdmin) []string { return []string{d.ServicePrincipal} }}
	return pq.run(ctx, db.r, servicesForAdminSQL, accountID, cur[0], p.Limit+1)
}

// EnableServiceAccess records trusted access for a service.
func (db *DB) EnableServiceAccess(ctx context.Context, a ic.ServiceAccess) error {
	e := audit.New(ctx, "organizations.serviceaccess.enable", "SERVICE", a.ServicePrincipal)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "enable service access", enableAccessSQL, a.ServicePrincipal, ts(a.EnabledAt))
		return err
	})
}

// DisableServiceAccess ends trusted access for a service.
func (db *DB) DisableServiceAccess(ctx context.Context, servicePrincipal string) error {
	e := audit.New(ctx, "organizations.serviceaccess.disable", "SERVICE", servicePrincipal)
	return db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "disable service access", disableAccessSQL, servicePrincipal)
		return err
	})
}

func scanAccess(s scanner) (ic.ServiceAccess, error) {
	var a ic.ServiceAccess
	err := s.Scan(&a.ServicePrincipal, timeCol{&a.EnabledAt})
	return a, err
}

// ServiceAccess returns one service's trusted access.
func (db *DB) ServiceAccess(ctx context.Context, servicePrincipal string) (ic.ServiceAccess, error) {
	a, err := scanAccess(queryRow(ctx, db.r, selectAccessSQL, servicePrincipal))
	return a, notFound(err, "service access", missing("service access", servicePrincipal))
}

// ListServiceAccess pages the services with trusted access.
func (db *DB) ListServiceAccess(ctx context.Context, p store.Page) ([]ic.ServiceAccess, string, error) {
	pq := pageQuery[ic.ServiceAccess]{list: "service-access", scan: scanAccess,
		key: func(a ic.ServiceAccess) []string { return []string{a.ServicePrincipal} }}
	return pq.page(ctx, db.r, p, listAccessSQL)
}
