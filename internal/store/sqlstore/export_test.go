package sqlstore

import "database/sql"

// The entitlement queries, for the SQLite query-plan test.
const (
	UserAccountsSQL = userAccountsSQL
	UserRolesSQL    = userRolesSQL
	UserRoleSQL     = userRoleSQL
)

// ReadPool is the pool reads run on.
func (db *DB) ReadPool() *sql.DB { return db.r.db }
