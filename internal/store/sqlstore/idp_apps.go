package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

const (
	idpAppCols      = `a.id, a.name, a.label, a.sign_on_mode, a.status, a.created, a.last_updated, a.saml, a.settings, a.scim_enabled, a.scim_url, a.scim_token, a.oauth`
	insertIdPAppSQL = `INSERT INTO idp_apps (id, name, label, sign_on_mode, status, created, last_updated, saml, settings,
	scim_enabled, scim_url, scim_token, oauth) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	updateIdPAppSQL = `UPDATE idp_apps SET name = $2, label = $3, sign_on_mode = $4, status = $5, created = $6,
	last_updated = $7, saml = $8, settings = $9, scim_enabled = $10, scim_url = $11, scim_token = $12,
	oauth = $13 WHERE id = $1`
	selectIdPAppSQL = `SELECT ` + idpAppCols + ` FROM idp_apps a WHERE a.id = $1`
	listIdPAppsSQL  = `SELECT ` + idpAppCols + ` FROM idp_apps a WHERE a.id > $1 ORDER BY a.id LIMIT CAST($2 AS INTEGER)`
	idpAppExistsSQL = `SELECT 1 FROM idp_apps WHERE id = $1`
	deleteIdPAppSQL = `DELETE FROM idp_apps WHERE id = $1`
)

func errAppNotFound(id string) *errs.Error { return missing(store.ResourceApp, id) }

func scanIdPApp(s scanner) (directory.App, error) {
	var a directory.App
	var enabled int64
	err := s.Scan(&a.ID, &a.Name, &a.Label, &a.SignOnMode, &a.Status, timeCol{&a.Created}, timeCol{&a.LastUpdated},
		jsonCol{&a.SAML}, jsonCol{&a.Settings}, &enabled, &a.Provisioning.BaseURL, &a.Provisioning.SealedToken,
		jsonCol{&a.OAuth})
	a.Provisioning.Enabled = enabled != 0
	if len(a.Provisioning.SealedToken) == 0 {
		a.Provisioning.SealedToken = nil
	}
	if len(a.Settings) == 0 {
		a.Settings = nil
	}
	return a, err
}

// appEvent is action on a, naming it by label (the log's displayName).
func appEvent(ctx context.Context, action string, a directory.App) audit.Event {
	e := audit.New(ctx, action, targetApp, a.ID)
	e.TargetName = a.Label
	return e
}

// checkApp refuses an app the store cannot keep as given.
func checkApp(a directory.App) error {
	switch {
	case a.Name == "":
		return required("an app's name")
	case a.Label == "":
		return required("an app's label")
	case a.Status != directory.AppActive && a.Status != directory.AppInactive:
		return errs.E(errs.Invalid, "an app's status must be ACTIVE or INACTIVE")
	}
	texts := []any{a.Name, a.Label, string(a.SignOnMode), a.Provisioning.BaseURL}
	for k, v := range a.Settings {
		texts = append(texts, k, v)
	}
	return checkText(texts)
}

// writeIdPApp inserts or updates (per query) a.
func writeIdPApp(ctx context.Context, tx *txn, query string, a directory.App) error {
	if err := checkApp(a); err != nil {
		return err
	}
	if err := checkSAML(a.SAML); err != nil {
		return err
	}
	if err := checkOAuthClient(a.OAuth); err != nil {
		return err
	}
	settings := a.Settings
	if settings == nil {
		settings = map[string]string{}
	}
	token := a.Provisioning.SealedToken
	if token == nil {
		token = []byte{}
	}
	enabled := 0
	if a.Provisioning.Enabled {
		enabled = 1
	}
	_, err := exec(ctx, tx, "write app", query, a.ID, a.Name, a.Label, string(a.SignOnMode), string(a.Status),
		ts(a.Created), ts(a.LastUpdated), jsonCol{a.SAML}, jsonCol{settings}, enabled, a.Provisioning.BaseURL, token,
		jsonCol{a.OAuth})
	return err
}

// checkSAML refuses SAML settings text JSON would not keep as given.
func checkSAML(s directory.SAMLSettings) error {
	texts := []any{s.ACSURL, s.Audience, s.Recipient, s.Destination, s.NameIDFormat, s.NameIDTemplate,
		s.AuthnContextClassRef, s.DefaultRelayState}
	for _, at := range s.Attributes {
		texts = append(texts, at.Type, at.Name, at.Namespace, at.FilterType, at.FilterValue)
		texts = append(texts, anys(at.Values)...)
	}
	return checkText(texts)
}

// CreateApp stores a with a fresh id (unless it has one), and its first
// client secret when it has one.
func (s *IdP) CreateApp(ctx context.Context, a directory.App) (directory.App, error) {
	if a.ID == "" {
		a.ID = directory.NewAppID(clock.Random)
	}
	now := s.db.clk.Now()
	a.Created, a.LastUpdated = now, now
	hash, err := takeSecretHash(&a)
	if err != nil {
		return directory.App{}, err
	}
	err = s.db.write(ctx, func(tx *txn) error {
		if err := writeIdPApp(ctx, tx, insertIdPAppSQL, a); err != nil {
			return err
		}
		if err := replaceClientSecrets(ctx, tx, a, hash, now); err != nil {
			return err
		}
		return s.appChanged(ctx, tx, "application.lifecycle.create", a)
	})
	if err != nil {
		return directory.App{}, err
	}
	return a, nil
}

// appChanged records a change to the app itself on the feed and the log.
func (s *IdP) appChanged(ctx context.Context, tx *txn, action string, a directory.App) error {
	if err := s.appendChange(ctx, tx, directory.Change{Kind: directory.AppChanged, AppID: a.ID}); err != nil {
		return err
	}
	return s.event(ctx, tx, appEvent(ctx, action, a))
}

// App returns an app by id.
func (s *IdP) App(ctx context.Context, id string) (directory.App, error) {
	return idpApp(ctx, s.db.r, id)
}

func idpApp(ctx context.Context, q querier, id string) (directory.App, error) {
	a, err := scanIdPApp(queryRow(ctx, q, selectIdPAppSQL, id))
	return a, notFound(err, "app", errAppNotFound(id))
}

// ListApps pages apps in id order.
func (s *IdP) ListApps(ctx context.Context, p store.Page) ([]directory.App, string, error) {
	pq := pageQuery[directory.App]{list: "idp-apps", scan: scanIdPApp,
		key: func(a directory.App) []string { return []string{a.ID} }}
	return pq.page(ctx, s.db.r, p, listIdPAppsSQL)
}

// UpdateApp is compare-and-swap; the id, name and creation time cannot
// change.
func (s *IdP) UpdateApp(ctx context.Context, id, eventType string, fn func(directory.App) (directory.App, error)) (directory.App, error) {
	read := func(tx *txn) (directory.App, error) { return idpApp(ctx, tx, id) }
	return swap(ctx, s.db, read, fn, func(tx *txn, old directory.App, next *directory.App) error {
		next.ID, next.Name, next.Created, next.LastUpdated = id, old.Name, old.Created, s.db.clk.Now()
		hash, err := takeSecretHash(next)
		if err != nil {
			return err
		}
		if err := writeIdPApp(ctx, tx, updateIdPAppSQL, *next); err != nil {
			return err
		}
		if err := replaceClientSecrets(ctx, tx, *next, hash, next.LastUpdated); err != nil {
			return err
		}
		return s.appChanged(ctx, tx, eventType, *next)
	})
}

// DeleteApp removes an inactive app; its assignments and pushes go with it
// (ON DELETE CASCADE).
func (s *IdP) DeleteApp(ctx context.Context, id string) error {
	return s.db.write(ctx, func(tx *txn) error {
		a, err := idpApp(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Status == directory.AppActive {
			return errs.E(errs.Conflict, "app %s is active: deactivate it first", id).
				WithResource(store.ResourceApp, id).WithField(store.FieldStatus)
		}
		if _, err := exec(ctx, tx, "delete app", deleteIdPAppSQL, id); err != nil {
			return err
		}
		return s.appChanged(ctx, tx, "application.lifecycle.delete", a)
	})
}
