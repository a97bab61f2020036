package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// A session is live while the clock is before both its idle and its
// absolute expiry ($2 below), as directory.Session.Live says.
const (
	idpSessionCols      = `id_hash, user_id, created, last_active, idle_expires_at, expires_at, amr, ip, user_agent`
	idpSessionLive      = `idle_expires_at > $2 AND expires_at > $2`
	insertIdPSessionSQL = `INSERT INTO idp_sessions (id_hash, user_id, created, last_active, idle_expires_at,
	expires_at, amr, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	selectIdPSessionSQL = `SELECT ` + idpSessionCols + ` FROM idp_sessions WHERE id_hash = $1 AND ` + idpSessionLive
	userIdPSessionsSQL  = `SELECT ` + idpSessionCols + ` FROM idp_sessions WHERE user_id = $1 AND ` + idpSessionLive + `
ORDER BY created DESC, id_hash`
	touchIdPSessionSQL = `UPDATE idp_sessions SET last_active = $3, idle_expires_at = $4
WHERE id_hash = $1 AND ` + idpSessionLive
	endIdPSessionSQL = `DELETE FROM idp_sessions WHERE id_hash = $1 RETURNING user_id`
)

func errIdPSessionNotFound() *errs.Error { return missing(store.ResourceSession, "") }

func scanIdPSession(s scanner) (directory.Session, error) {
	var ss directory.Session
	err := s.Scan(&ss.IDHash, &ss.UserID, timeCol{&ss.Created}, timeCol{&ss.LastActive},
		timeCol{&ss.IdleExpiresAt}, timeCol{&ss.ExpiresAt}, jsonCol{&ss.AMR}, &ss.IP, &ss.UserAgent)
	return ss, err
}

// CreateIdPSession stores a session of an existing user, created now.
func (s *IdP) CreateIdPSession(ctx context.Context, ss directory.Session) error {
	if ss.IDHash == "" {
		return required("a session's hash")
	}
	if err := checkText(anys(ss.AMR)); err != nil {
		return err
	}
	ss.Created = s.db.clk.Now()
	if ss.LastActive.IsZero() {
		ss.LastActive = ss.Created
	}
	amr := ss.AMR
	if amr == nil {
		amr = []string{}
	}
	e := audit.New(ctx, "user.session.start", targetUser, ss.UserID)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		if err := mustExist(ctx, tx, idpUserExistsSQL, ss.UserID, errIdPUserNotFound(ss.UserID)); err != nil {
			return err
		}
		if _, err := exec(ctx, tx, "create session", insertIdPSessionSQL, ss.IDHash, ss.UserID, ts(ss.Created),
			ts(ss.LastActive), ts(ss.IdleExpiresAt), ts(ss.ExpiresAt), jsonCol{amr}, ss.IP, ss.UserAgent); err != nil {
			return err
		}
		_, err := exec(ctx, tx, "record last login", setLastLoginSQL, ss.UserID, ts(ss.Created))
		return err
	})
}

// setLastLoginSQL records a sign-in on the user without counting it as a
// change of the user (lastUpdated and the change feed stay as they are).
const setLastLoginSQL = `UPDATE idp_users SET last_login = $2 WHERE id = $1`

// IdPSession returns a live session by the hash of its cookie value.
func (s *IdP) IdPSession(ctx context.Context, idHash string) (directory.Session, error) {
	ss, err := scanIdPSession(queryRow(ctx, s.db.r, selectIdPSessionSQL, idHash, ts(s.db.clk.Now())))
	return ss, notFound(err, "session", errIdPSessionNotFound())
}

// TouchIdPSession records activity on a live session.
func (s *IdP) TouchIdPSession(ctx context.Context, idHash string, now, idle time.Time) error {
	return s.db.writeNoEvent(ctx, func(tx *txn) error {
		return changeRow(ctx, tx, errIdPSessionNotFound(), "touch session",
			touchIdPSessionSQL, idHash, ts(s.db.clk.Now()),
			ts(now), ts(idle))
	})
}

// ListIdPSessions lists the user's live sessions, newest first.
func (s *IdP) ListIdPSessions(ctx context.Context, userID string) ([]directory.Session, error) {
	return collect(ctx, s.db.r, "sessions", scanIdPSession, userIdPSessionsSQL, userID, ts(s.db.clk.Now()))
}

// EndIdPSession deletes a session; a missing one is not an error.
func (s *IdP) EndIdPSession(ctx context.Context, idHash string) error {
	return s.db.write(ctx, func(tx *txn) error {
		var userID string
		err := queryRow(ctx, tx, endIdPSessionSQL, idHash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return mapErr(err, "end session")
		}
		return s.event(ctx, tx, audit.New(ctx, "user.session.end", targetUser, userID))
	})
}

// EndUserSessions deletes every session of the user and reports how many.
func (s *IdP) EndUserSessions(ctx context.Context, userID string) (int, error) {
	var n int64
	e := audit.New(ctx, "user.session.clear", targetUser, userID)
	err := s.db.mutate(ctx, e, func(tx *txn) (err error) {
		if err := mustExist(ctx, tx, idpUserExistsSQL, userID, errIdPUserNotFound(userID)); err != nil {
			return err
		}
		n, err = affected(ctx, tx, "end user sessions", deleteUserIdPSessionsSQL, userID)
		return err
	})
	return int(n), err
}
