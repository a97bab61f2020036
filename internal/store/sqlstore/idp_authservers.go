package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// An authorization server is one row: its scopes, claims and policies are
// JSON columns of the aggregate, which changes only by compare-and-swap.
const (
	authServerCols      = `id, name, description, audiences, status, created, last_updated, scopes, claims, policies`
	insertAuthServerSQL = `INSERT INTO idp_auth_servers (` + authServerCols + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	updateAuthServerSQL = `UPDATE idp_auth_servers SET name = $2, description = $3, audiences = $4, status = $5,
	created = $6, last_updated = $7, scopes = $8, claims = $9, policies = $10 WHERE id = $1`
	selectAuthServerSQL = `SELECT ` + authServerCols + ` FROM idp_auth_servers WHERE id = $1`
	listAuthServersSQL  = `SELECT ` + authServerCols + ` FROM idp_auth_servers ORDER BY name, id`
	targetAuthServer    = "AuthorizationServer"
)

// maxAuthServerText bounds the text of a server's scopes, claims and
// policies: far above any real server, far below what would hurt a read.
const maxAuthServerText = 1 << 20

// deleteAuthServerSQL removes what a server issued, then the server.
var deleteAuthServerSQL = []string{
	`DELETE FROM idp_oauth_codes WHERE auth_server_id = $1`,
	`DELETE FROM idp_oauth_devices WHERE auth_server_id = $1`,
	`DELETE FROM idp_oauth_tokens WHERE auth_server_id = $1`,
	`DELETE FROM idp_oauth_spent_refresh WHERE auth_server_id = $1`,
	`DELETE FROM idp_auth_servers WHERE id = $1`,
}

func errAuthServerNotFound(id string) *errs.Error { return missing(store.ResourceAuthServer, id) }

func scanAuthServer(s scanner) (directory.AuthServer, error) {
	var a directory.AuthServer
	err := s.Scan(&a.ID, &a.Name, &a.Description, jsonCol{&a.Audiences}, &a.Status, timeCol{&a.Created},
		timeCol{&a.LastUpdated}, jsonCol{&a.Scopes}, jsonCol{&a.Claims}, jsonCol{&a.Policies})
	return a, err
}

// authServerEvent is action on a, naming it by name.
func authServerEvent(ctx context.Context, action string, a directory.AuthServer) audit.Event {
	e := audit.New(ctx, action, targetAuthServer, a.ID)
	e.TargetName = a.Name
	return e
}

// checkAuthServer refuses a server the store cannot keep as given.
func checkAuthServer(a directory.AuthServer) error {
	switch {
	case a.ID == "":
		return required("an authorization server's id")
	case a.Name == "":
		return required("an authorization server's name")
	case a.Status != directory.AppActive && a.Status != directory.AppInactive:
		return errs.E(errs.Invalid, "an authorization server's status must be ACTIVE or INACTIVE")
	}
	texts, size := authServerTexts(a), 0
	for _, t := range texts {
		size += len(t.(string))
	}
	if size > maxAuthServerText {
		return errs.E(errs.Invalid, "an authorization server's text must be at most %d bytes in all", maxAuthServerText)
	}
	return checkText(texts)
}

// authServerTexts lists every string of the aggregate.
func authServerTexts(a directory.AuthServer) []any {
	texts := append([]any{a.ID, a.Name, a.Description, string(a.Status)}, anys(a.Audiences)...)
	for _, sc := range a.Scopes {
		texts = append(texts, sc.ID, sc.Name, sc.Description, sc.Consent)
	}
	for _, c := range a.Claims {
		texts = append(texts, c.ID, c.Name, string(c.Status), c.ClaimType, c.ValueType, c.Value, c.GroupFilter)
		texts = append(texts, anys(c.Scopes)...)
	}
	for _, p := range a.Policies {
		texts = append(texts, p.ID, p.Name, p.Description, string(p.Status))
		texts = append(texts, anys(p.Clients)...)
		for _, r := range p.Rules {
			texts = append(texts, r.ID, r.Name, string(r.Status))
			for _, l := range [][]string{r.GrantTypes, r.Scopes, r.Users, r.Groups} {
				texts = append(texts, anys(l)...)
			}
		}
	}
	return texts
}

func writeAuthServer(ctx context.Context, tx *txn, query string, a directory.AuthServer) error {
	if err := checkAuthServer(a); err != nil {
		return err
	}
	_, err := exec(ctx, tx, "write authorization server", query, a.ID, a.Name, a.Description,
		jsonCol{list(a.Audiences)}, string(a.Status), ts(a.Created), ts(a.LastUpdated),
		jsonCol{list(a.Scopes)}, jsonCol{list(a.Claims)}, jsonCol{list(a.Policies)})
	return err
}

// list is s, or an empty list for nil: the column holds [] rather than null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CreateAuthServer stores s as given; zero times become now.
func (s *IdP) CreateAuthServer(ctx context.Context, a directory.AuthServer) (directory.AuthServer, error) {
	now := s.db.clk.Now()
	if a.Created.IsZero() {
		a.Created = now
	}
	if a.LastUpdated.IsZero() {
		a.LastUpdated = now
	}
	err := s.db.mutate(ctx, authServerEvent(ctx, "oauth2.as.created", a), func(tx *txn) error {
		return writeAuthServer(ctx, tx, insertAuthServerSQL, a)
	})
	if err != nil {
		return directory.AuthServer{}, err
	}
	return a, nil
}

// AuthServer returns a server by id.
func (s *IdP) AuthServer(ctx context.Context, id string) (directory.AuthServer, error) {
	return authServer(ctx, s.db.r, id)
}

func authServer(ctx context.Context, q querier, id string) (directory.AuthServer, error) {
	a, err := scanAuthServer(queryRow(ctx, q, selectAuthServerSQL, id))
	return a, notFound(err, "authorization server", errAuthServerNotFound(id))
}

// ListAuthServers lists every server by name.
func (s *IdP) ListAuthServers(ctx context.Context) ([]directory.AuthServer, error) {
	return collect(ctx, s.db.r, "authorization servers", scanAuthServer, listAuthServersSQL)
}

// UpdateAuthServer is compare-and-swap; the id and creation time stay and
// LastUpdated becomes now.
func (s *IdP) UpdateAuthServer(ctx context.Context, id, eventType string,
	fn func(directory.AuthServer) (directory.AuthServer, error)) (directory.AuthServer, error) {
	read := func(tx *txn) (directory.AuthServer, error) { return authServer(ctx, tx, id) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.AuthServer, next *directory.AuthServer) error {
		next.ID, next.Created, next.LastUpdated = id, old.Created, s.db.clk.Now()
		if err := writeAuthServer(ctx, tx, updateAuthServerSQL, *next); err != nil {
			return err
		}
		return s.event(ctx, tx, authServerEvent(ctx, eventType, *next))
	})
}

// DeleteAuthServer removes an inactive server and what it issued (which
// has no foreign key to it: the org server's rows name "").
func (s *IdP) DeleteAuthServer(ctx context.Context, id string) error {
	return s.db.write(ctx, func(tx *txn) error {
		a, err := authServer(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Status == directory.AppActive {
			return errs.E(errs.Conflict, "authorization server %s is active: deactivate it first", id).
				WithResource(store.ResourceAuthServer, id).WithField(store.FieldStatus)
		}
		for _, q := range deleteAuthServerSQL {
			if _, err := exec(ctx, tx, "delete authorization server", q, id); err != nil {
				return err
			}
		}
		return s.event(ctx, tx, authServerEvent(ctx, "oauth2.as.deleted", a))
	})
}
