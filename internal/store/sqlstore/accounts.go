package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const (
	accountCols      = `id, name, email, status, joined_method, joined_at`
	insertAccountSQL = `INSERT INTO accounts (id, name, email, email_norm, status, joined_method, joined_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	selectAccountSQL = `SELECT ` + accountCols + ` FROM accounts WHERE id = $1`
	listAccountsSQL  = `SELECT ` + accountCols + ` FROM accounts WHERE id > $1 ORDER BY id LIMIT CAST($2 AS INTEGER)`

	insertStatusSQL = `INSERT INTO create_account_statuses (id, account_name, state, account_id,
	failure_reason, requested_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	selectStatusSQL = `SELECT id, account_name, state, account_id, failure_reason, requested_at,
	completed_at FROM create_account_statuses WHERE id = $1`
)

// CreateAccount stores a new account and its request status.
func (db *DB) CreateAccount(ctx context.Context, a ic.Account, st ic.CreateAccountStatus) error {
	e := audit.New(ctx, "organizations.account.create", "ACCOUNT", a.ID)
	return db.mutate(ctx, e, func(tx *txn) error {
		if err := insertAccount(ctx, tx, a); err != nil {
			return err
		}
		if err := placeAccount(ctx, tx, a.ID); err != nil {
			return err
		}
		return insertStatus(ctx, tx, st)
	})
}

// PutCreateAccountStatus records a CreateAccount request that failed.
func (db *DB) PutCreateAccountStatus(ctx context.Context, st ic.CreateAccountStatus) error {
	e := audit.New(ctx, "organizations.account.create", "CREATE_ACCOUNT_REQUEST", st.ID)
	e.Outcome, e.Message = audit.Failure, st.FailureReason
	return db.mutate(ctx, e, func(tx *txn) error { return insertStatus(ctx, tx, st) })
}

func insertAccount(ctx context.Context, q querier, a ic.Account) error {
	_, err := exec(ctx, q, "insert account", insertAccountSQL, a.ID, a.Name, a.Email,
		strings.ToLower(a.Email), a.Status, a.JoinedMethod, ts(a.JoinedAt))
	return err
}

func insertStatus(ctx context.Context, q querier, st ic.CreateAccountStatus) error {
	_, err := exec(ctx, q, "insert account status", insertStatusSQL, st.ID, st.AccountName,
		st.State, st.AccountID, st.FailureReason, ts(st.RequestedAt), ts(st.CompletedAt))
	return err
}

// CreateAccountStatus returns a CreateAccount request's status.
func (db *DB) CreateAccountStatus(ctx context.Context, id string) (ic.CreateAccountStatus, error) {
	var st ic.CreateAccountStatus
	err := queryRow(ctx, db.r, selectStatusSQL, id).Scan(&st.ID, &st.AccountName,
		&st.State, &st.AccountID, &st.FailureReason, timeCol{&st.RequestedAt}, timeCol{&st.CompletedAt})
	return st, notFound(err, "account status",
		missing(store.ResourceAccountStatus, id))
}

// Account returns an account.
func (db *DB) Account(ctx context.Context, id string) (ic.Account, error) {
	return account(ctx, db.r, id)
}

func account(ctx context.Context, q querier, id string) (ic.Account, error) {
	a, err := scanAccount(queryRow(ctx, q, selectAccountSQL, id))
	return a, notFound(err, "account", errAccountNotFound(id))
}

func errAccountNotFound(id string) *errs.Error {
	return missing(store.ResourceAccount, id)
}

func scanAccount(s scanner) (ic.Account, error) {
	var a ic.Account
	err := s.Scan(&a.ID, &a.Name, &a.Email, &a.Status, &a.JoinedMethod, timeCol{&a.JoinedAt})
	return a, err
}

func accountKey(a ic.Account) []string { return []string{a.ID} }

// ListAccounts pages accounts in id order.
func (db *DB) ListAccounts(ctx context.Context, p store.Page) ([]ic.Account, string, error) {
	pq := pageQuery[ic.Account]{list: "accounts", scan: scanAccount, key: accountKey}
	return pq.page(ctx, db.r, p, listAccountsSQL)
}

// exists reports whether query (a SELECT 1 ... with args) finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := queryRow(ctx, q, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, mapErr(err, "exists")
}
