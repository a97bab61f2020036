package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	idpUserCols      = `u.id, u.status, u.type, u.profile, u.password, u.created, u.activated, u.status_changed, u.last_login, u.last_updated`
	insertIdPUserSQL = `INSERT INTO idp_users (id, login, login_norm, status, type, profile, password,
	created, activated, status_changed, last_login, last_updated)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	updateIdPUserSQL = `UPDATE idp_users SET login = $2, login_norm = $3, status = $4, type = $5, profile = $6,
	password = $7, created = $8, activated = $9, status_changed = $10, last_login = $11, last_updated = $12
WHERE id = $1`
	selectIdPUserSQL   = `SELECT ` + idpUserCols + ` FROM idp_users u WHERE u.id = $1`
	idpUserByLoginSQL  = `SELECT ` + idpUserCols + ` FROM idp_users u WHERE u.login_norm = $1`
	listIdPUsersSQL    = `SELECT ` + idpUserCols + ` FROM idp_users u WHERE u.id > $1 ORDER BY u.id LIMIT CAST($2 AS INTEGER)`
	idpUserExistsSQL   = `SELECT 1 FROM idp_users WHERE id = $1`
	deleteIdPUserSQL   = `DELETE FROM idp_users WHERE id = $1`
	touchUserGroupsSQL = `UPDATE idp_groups SET last_membership_updated = $2
WHERE id IN (SELECT group_id FROM idp_memberships WHERE user_id = $1)`
	userGroupsSQL = `SELECT ` + idpGroupCols + ` FROM idp_memberships m JOIN idp_groups g ON g.id = m.group_id
WHERE m.user_id = $1 ORDER BY g.name_norm, g.id`
	// What a deprovisioned user loses.
	deleteUserIdPSessionsSQL = `DELETE FROM idp_sessions WHERE user_id = $1`
	deleteUserAPITokensSQL   = `DELETE FROM idp_api_tokens WHERE user_id = $1`
	deleteUserLinksSQL       = `DELETE FROM idp_user_tokens WHERE user_id = $1`
	userDirectAppsSQL        = `SELECT app_id FROM idp_app_users WHERE user_id = $1 ORDER BY app_id`
)

func errIdPUserNotFound(id string) *errs.Error { return missing(store.ResourceUser, id) }

// passwordCol is how a password credential is stored: JSON with its time
// in Unix nanoseconds, like every other time column.
type passwordCol struct {
	Hash    string   `json:"hash"`
	Changed int64    `json:"changed"`
	History []string `json:"history"`
	Expired bool     `json:"expired,omitempty"` // expired before a lockout
}

func encodePassword(p directory.Password) passwordCol {
	return passwordCol{Hash: p.Hash, Changed: ts(p.Changed), History: p.History, Expired: p.Expired}
}

func (c passwordCol) decode() directory.Password {
	p := directory.Password{Hash: c.Hash, History: c.History, Expired: c.Expired}
	if c.Changed != 0 {
		p.Changed = time.Unix(0, c.Changed).UTC()
	}
	return p
}

// profileCol scans a profile column keeping each number as the
// json.Number it was written as: a float64 would round an integer past
// 2^53 (an employee number) and change what the next read returns.
type profileCol struct{ p *directory.Profile }

func (c profileCol) Scan(src any) error {
	b, err := columnBytes("profile", src)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(c.p)
}

func scanIdPUser(s scanner) (directory.User, error) {
	var u directory.User
	var pw passwordCol
	err := s.Scan(&u.ID, &u.Status, &u.Type, profileCol{&u.Profile}, jsonCol{&pw}, timeCol{&u.Created},
		timeCol{&u.Activated}, timeCol{&u.StatusChanged}, timeCol{&u.LastLogin}, timeCol{&u.LastUpdated})
	u.Password = pw.decode()
	return u, err
}

// writeIdPUser inserts or updates (per query) u.
func writeIdPUser(ctx context.Context, tx *txn, query string, u directory.User) error {
	login := u.Login()
	if login == "" {
		return required("a user's login")
	}
	if err := checkText([]any{login}); err != nil { // before folding turns bad bytes into U+FFFD
		return err
	}
	if err := checkProfile(u.Profile); err != nil {
		return err
	}
	if err := checkText(append(anys(u.Password.History), u.Password.Hash)); err != nil {
		return err
	}
	profile := u.Profile
	if profile == nil {
		profile = directory.Profile{}
	}
	_, err := exec(ctx, tx, "write user", query, u.ID, login, directory.NormalizeLogin(login),
		string(u.Status), u.Type, jsonCol{profile}, jsonCol{encodePassword(u.Password)}, ts(u.Created),
		ts(u.Activated), ts(u.StatusChanged), ts(u.LastLogin), ts(u.LastUpdated))
	if err != nil {
		return err
	}
	return writeUserAttrs(ctx, tx, u)
}

// CreateUser stores a new user and puts it in groupIDs.
func (s *IdP) CreateUser(ctx context.Context, u directory.User, groupIDs []string) (directory.User, error) {
	out, err := s.CreateUsers(ctx, []store.NewUser{{User: u, GroupIDs: groupIDs}})
	if err != nil {
		return directory.User{}, err
	}
	return out[0], nil
}

// CreateUsers creates users, with their memberships, in one transaction.
func (s *IdP) CreateUsers(ctx context.Context, users []store.NewUser) ([]directory.User, error) {
	now := s.db.clk.Now()
	out := make([]directory.User, len(users))
	for i, n := range users {
		out[i] = n.User
		if out[i].ID == "" {
			out[i].ID = directory.NewUserID(clock.Random)
		}
		out[i].Created, out[i].LastUpdated = now, now
	}
	err := s.db.write(ctx, func(tx *txn) error {
		for i, u := range out {
			if err := s.insertUser(ctx, tx, u); err != nil {
				return err
			}
			for _, g := range unique(users[i].GroupIDs) {
				if _, err := s.addMember(ctx, tx, g, u.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// insertUser stores u with its change and event.
func (s *IdP) insertUser(ctx context.Context, tx *txn, u directory.User) error {
	if err := writeIdPUser(ctx, tx, insertIdPUserSQL, u); err != nil {
		return err
	}
	if err := s.change(ctx, tx, directory.UserChanged, u.ID, ""); err != nil {
		return err
	}
	return s.event(ctx, tx, userEvent(ctx, "user.lifecycle.create", u))
}

// User returns a user by id.
func (s *IdP) User(ctx context.Context, id string) (directory.User, error) {
	return idpUser(ctx, s.db.r, id)
}

func idpUser(ctx context.Context, q querier, id string) (directory.User, error) {
	u, err := scanIdPUser(queryRow(ctx, q, selectIdPUserSQL, id))
	return u, notFound(err, "user", errIdPUserNotFound(id))
}

// UserByLogin finds a user by login, case-insensitively.
func (s *IdP) UserByLogin(ctx context.Context, login string) (directory.User, error) {
	if err := checkText([]any{login}); err != nil { // before folding turns bad bytes into U+FFFD
		return directory.User{}, err
	}
	u, err := scanIdPUser(queryRow(ctx, s.db.r, idpUserByLoginSQL, directory.NormalizeLogin(login)))
	return u, notFound(err, "user by login", errIdPUserNotFound(""))
}

// ListUsers pages users in id order, keeping those q keeps.
func (s *IdP) ListUsers(ctx context.Context, q store.UserQuery, p store.Page) ([]directory.User, string, error) {
	c, indexed := indexedCondition(q)
	return keepPage("idp-users", p, q.Keep, userID, func(after string, n int) ([]directory.User, error) {
		if indexed {
			return collect(ctx, s.db.r, "list users by attribute", scanIdPUser, listIdPUsersByAttrSQL, after, n, c.Path,
				// A long value is indexed by its prefix; a SQLite database
				// written before that holds it whole.
				c.Folded, indexedValue(c.Folded))
		}
		return collect(ctx, s.db.r, "list users", scanIdPUser, listIdPUsersSQL, after, n)
	})
}

func userID(u directory.User) string { return u.ID }

// UpdateUser is compare-and-swap; the id and creation time cannot change.
func (s *IdP) UpdateUser(ctx context.Context, id, eventType string, fn func(directory.User) (directory.User, error)) (directory.User, error) {
	read := func(tx *txn) (directory.User, error) { return idpUser(ctx, tx, id) }
	return swap(ctx, s.db, read, fn, s.writeUserChange(ctx, eventType))
}

// writeUserChange is the write step (see swap) of a change to a user: the
// id and creation time stay, LastUpdated becomes now, and the change and
// its event are recorded; a user who becomes deprovisioned loses their
// sessions, API tokens, one-time links and direct app assignments.
func (s *IdP) writeUserChange(ctx context.Context, eventType string) func(tx *txn, old directory.User, u *directory.User) error {
	return func(tx *txn, old directory.User, u *directory.User) error {
		u.ID, u.Created, u.LastUpdated = old.ID, old.Created, s.db.clk.Now()
		if err := writeIdPUser(ctx, tx, updateIdPUserSQL, *u); err != nil {
			return err
		}
		if u.Status == directory.Deprovisioned && old.Status != directory.Deprovisioned {
			for _, q := range []string{deleteUserIdPSessionsSQL, deleteUserAPITokensSQL, deleteUserLinksSQL} {
				if _, err := exec(ctx, tx, "end a deprovisioned user's access", q, u.ID); err != nil {
					return err
				}
			}
			if err := s.unassignDeprovisioned(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if err := s.change(ctx, tx, directory.UserChanged, u.ID, ""); err != nil {
			return err
		}
		return s.event(ctx, tx, userEvent(ctx, eventType, *u))
	}
}

// DeleteUser removes the user; memberships, roles, tokens, links, factors
// and sessions go by ON DELETE CASCADE. The groups it leaves record a
// membership change.
func (s *IdP) DeleteUser(ctx context.Context, id string) error {
	return s.db.write(ctx, func(tx *txn) error {
		if _, err := exec(ctx, tx, "touch the user's groups", touchUserGroupsSQL, id, ts(s.db.clk.Now())); err != nil {
			return err
		}
		n, err := affected(ctx, tx, "delete user", deleteIdPUserSQL, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return errIdPUserNotFound(id)
		}
		if err := s.change(ctx, tx, directory.UserDeleted, id, ""); err != nil {
			return err
		}
		return s.event(ctx, tx, audit.New(ctx, "user.lifecycle.delete.completed", targetUser, id))
	})
}

// unassignDeprovisioned removes a deprovisioned user's direct app
// assignments, as Okta does: activating them again does not give the apps
// back (assignments through their groups follow the memberships, which
// stay).
func (s *IdP) unassignDeprovisioned(ctx context.Context, tx *txn, userID string) error {
	apps, err := collect(ctx, tx, "a deprovisioned user's apps", scanString, userDirectAppsSQL, userID)
	if err != nil {
		return err
	}
	for _, appID := range apps {
		a, err := idpApp(ctx, tx, appID)
		if err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "unassign a deprovisioned user", deleteAppUserSQL, appID, userID); err != nil {
			return err
		}
		if err := s.assignmentChanged(ctx, tx, "application.user_membership.remove", a,
			directory.Change{Kind: directory.AppUserUnassigned, UserID: userID}, "user "+userID); err != nil {
			return err
		}
	}
	return nil
}

// userRows reads every row query finds for userID with scan; when there
// are none it tells an unknown user (errs.NotFound) from one without any.
func userRows[T any](ctx context.Context, q querier, op string, scan func(scanner) (T, error),
	query, userID string) ([]T, error) {
	rows, err := collect(ctx, q, op, scan, query, userID)
	if err == nil && len(rows) == 0 {
		err = mustExist(ctx, q, idpUserExistsSQL, userID, errIdPUserNotFound(userID))
	}
	return rows, err
}

// UserGroups lists the user's groups by name.
func (s *IdP) UserGroups(ctx context.Context, userID string) ([]directory.Group, error) {
	return userRows(ctx, s.db.r, "user groups", scanIdPGroup, userGroupsSQL, userID)
}
