package oktaapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// Okta's app lifecycle events.
const (
	appCreate     = "application.lifecycle.create"
	appUpdate     = "application.lifecycle.update"
	appActivate   = "application.lifecycle.activate"
	appDeactivate = "application.lifecycle.deactivate"
)

// app finds the app {appId} names.
func (a *API) app(r *http.Request) (directory.App, error) {
	id := r.PathValue("appId")
	if !directory.ValidID(id) {
		return directory.App{}, notFound(store.ResourceApp, id)
	}
	return a.cfg.Store.App(r.Context(), id)
}

// createApp is POST /api/v1/apps?activate=.
func (a *API) createApp(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b appBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	activate, err := boolParam(r, "activate", true)
	if err != nil {
		return err
	}
	if b.SignOnMode == string(directory.OIDC) {
		return a.createOIDCApp(w, r, b, activate)
	}
	app, err := b.app("")
	if err != nil {
		return err
	}
	if err := a.checkWebSSOClient(r.Context(), app); err != nil {
		return err
	}
	if app, err = a.awsFederationSecret(r.Context(), app, nil); err != nil {
		return err
	}
	app.Status = directory.AppInactive
	if activate {
		app.Status = directory.AppActive
	}
	if app.Name == "" {
		if app.Name, err = a.customName(r.Context()); err != nil {
			return err
		}
	}
	if app, err = a.cfg.Store.CreateApp(r.Context(), app); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appJSON(app))
	return nil
}

// customName is the next keyward_saml_<n> name, as Okta generates a
// custom app's name. Two creates racing may get the same name, which only
// the dashboard's URLs show (they carry the id too).
func (a *API) customName(ctx context.Context) (string, error) {
	apps, err := a.allApps(ctx)
	if err != nil {
		return "", err
	}
	n := 0
	for _, app := range apps {
		suffix, ok := strings.CutPrefix(app.Name, directory.CustomSAMLApp+"_")
		if k, err := strconv.Atoi(suffix); ok && err == nil && k > n {
			n = k
		}
	}
	return directory.CustomSAMLApp + "_" + strconv.Itoa(n+1), nil
}

// allApps reads every app: an org has tens, not millions.
func (a *API) allApps(ctx context.Context) ([]directory.App, error) {
	var all []directory.App
	p := store.Page{Limit: 200}
	for {
		apps, next, err := a.cfg.Store.ListApps(ctx, p)
		if err != nil {
			return nil, err
		}
		all = append(all, apps...)
		if next == "" {
			return all, nil
		}
		p.Token = next
	}
}

// getApp is GET /api/v1/apps/{appId}.
func (a *API) getApp(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	app, err := a.app(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appJSON(app))
	return nil
}

// appFilter is the one filter form keyward takes: status or name eq.
var appFilter = regexp.MustCompile(`^(status|name) eq "([^"]{1,100})"$`)

// listApps is GET /api/v1/apps with q (a prefix of the label or name) or
// filter (status or name eq); without either it pages.
func (a *API) listApps(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	keep, err := appQuery(r)
	if err != nil {
		return err
	}
	p, err := appPage(r)
	if err != nil {
		return err
	}
	if keep == nil {
		apps, next, err := a.cfg.Store.ListApps(r.Context(), p)
		if err != nil {
			return storePage(err)
		}
		a.writeList(w, r, a.appsJSON(apps), next)
		return nil
	}
	from, err := searchAfter(p.Token)
	if err != nil {
		return err
	}
	all, err := a.allApps(r.Context())
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(x, y directory.App) int { return strings.Compare(x.ID, y.ID) })
	kept, next := []directory.App{}, ""
	for _, app := range all {
		if app.ID <= from || !keep(app) {
			continue
		}
		if len(kept) == p.Limit {
			next = base64.RawURLEncoding.EncodeToString([]byte(searchCursor + kept[len(kept)-1].ID))
			break
		}
		kept = append(kept, app)
	}
	a.writeList(w, r, a.appsJSON(kept), next)
	return nil
}

// searchCursor marks the after cursor of a q or filter search of apps: the
// id of the last app on the page, matches being read in id order.
const searchCursor = "apps-search:"

func searchAfter(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	id, ok := strings.CutPrefix(string(b), searchCursor)
	if err != nil || !ok || id == "" {
		return "", errs.E(errs.Invalid, "after: not a cursor this API returned")
	}
	return id, nil
}

// appPage reads limit and after; Okta's default limit=-1 (every app) is
// served as pages of the largest size.
func appPage(r *http.Request) (store.Page, error) {
	q := r.URL.Query()
	if q.Get("limit") != "-1" {
		return page(r, 200, 200)
	}
	q.Del("limit")
	u := *r.URL
	u.RawQuery = q.Encode()
	r2 := *r
	r2.URL = &u
	return page(&r2, 200, 200)
}

func appQuery(r *http.Request) (func(directory.App) bool, error) {
	q := r.URL.Query()
	qs, filter := q.Get("q"), q.Get("filter")
	switch {
	case qs != "" && filter != "":
		return nil, errs.E(errs.Invalid, "use only one of q and filter")
	case filter != "":
		m := appFilter.FindStringSubmatch(filter)
		if m == nil {
			return nil, errs.E(errs.Invalid, `filter: keyward filters apps by status eq "ACTIVE|INACTIVE" or name eq "<name>"`)
		}
		if m[1] == "status" {
			return func(app directory.App) bool { return string(app.Status) == m[2] }, nil
		}
		return func(app directory.App) bool { return app.Name == m[2] }, nil
	case qs != "":
		if !validText(qs) || len(qs) > 100 {
			return nil, errs.E(errs.Invalid, "q: must be valid text of at most 100 characters")
		}
		prefix := strings.ToLower(qs)
		return func(app directory.App) bool {
			return strings.HasPrefix(strings.ToLower(app.Label), prefix) || strings.HasPrefix(app.Name, prefix)
		}, nil
	}
	return nil, nil
}

// replaceApp is PUT /api/v1/apps/{appId}: label, SAML settings and
// settings.app (an OIDC app's: label and client settings); the name,
// sign-on mode, status and provisioning stay.
func (a *API) replaceApp(w http.ResponseWriter, r *http.Request, c *caller) error {
	old, err := a.app(r)
	if err != nil {
		return err
	}
	var b appBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if err := modeChange(old, b); err != nil {
		return err
	}
	if old.SignOnMode == directory.OIDC {
		return a.replaceOIDCApp(w, r, old, b)
	}
	next, err := b.app(old.Name)
	if err != nil {
		return err
	}
	if err := a.checkWebSSOClient(r.Context(), next); err != nil {
		return err
	}
	if next, err = a.awsFederationSecret(r.Context(), next, old.Settings); err != nil {
		return err
	}
	app, err := a.cfg.Store.UpdateApp(r.Context(), old.ID, appUpdate, func(app directory.App) (directory.App, error) {
		app.Label, app.SAML, app.Settings = next.Label, next.SAML, next.Settings
		return app, nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appJSON(app))
	return nil
}

// appLifecycle is POST /api/v1/apps/{appId}/lifecycle/activate and
// .../deactivate; asking for the status the app has changes nothing.
func (a *API) appLifecycle(activate bool) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		app, err := a.app(r)
		if err != nil {
			return err
		}
		if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
			return err
		}
		status, event := directory.AppInactive, appDeactivate
		if activate {
			status, event = directory.AppActive, appActivate
		}
		if app.Status != status {
			_, err = a.cfg.Store.UpdateApp(r.Context(), app.ID, event, func(app directory.App) (directory.App, error) {
				app.Status = status
				return app, nil
			})
			if err != nil {
				return err
			}
		}
		writeJSON(w, http.StatusOK, struct{}{})
		return nil
	}
}

// deleteApp is DELETE /api/v1/apps/{appId}; an active app must be
// deactivated first.
func (a *API) deleteApp(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, err := a.app(r)
	if err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if err := a.cfg.Store.DeleteApp(r.Context(), app.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
