package oktaapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// appUserJSON is Okta's AppUser.
type appUserJSON struct {
	ID              string          `json:"id"`
	ExternalID      *string         `json:"externalId"`
	Created         string          `json:"created"`
	LastUpdated     string          `json:"lastUpdated"`
	Scope           string          `json:"scope"`
	Status          string          `json:"status"`
	StatusChanged   string          `json:"statusChanged"`
	PasswordChanged *string         `json:"passwordChanged"`
	SyncState       string          `json:"syncState,omitempty"`
	Credentials     appUserCreds    `json:"credentials"`
	Profile         map[string]any  `json:"profile"`
	Links           map[string]href `json:"_links"`
}

type appUserCreds struct {
	UserName string `json:"userName"`
}

// appUserBody is an AppUser in an assign or update request. keyward keeps
// no app-specific profile or credentials: the app user name is the login.
type appUserBody struct {
	ID          string          `json:"id"`
	Scope       string          `json:"scope"`
	Credentials *appUserCreds   `json:"credentials"`
	Profile     map[string]any  `json:"profile"`
	Password    json.RawMessage `json:"password"`
}

// appGroupJSON is Okta's ApplicationGroupAssignment.
type appGroupJSON struct {
	ID          string          `json:"id"`
	LastUpdated string          `json:"lastUpdated"`
	Priority    int             `json:"priority"`
	Profile     map[string]any  `json:"profile"`
	Links       map[string]href `json:"_links"`
}

type appGroupBody struct {
	Priority *json.Number   `json:"priority"`
	Profile  map[string]any `json:"profile"`
}

// maxPriority bounds a group assignment's priority.
const maxPriority = 1000

func (a *API) appUserJSON(app directory.App, au directory.AppUser, u directory.User) appUserJSON {
	sync := "DISABLED"
	if app.Provisioning.Enabled {
		sync = "" // the provisioning client reports status per app, not per user
	}
	return appUserJSON{ID: au.UserID, Created: formatTime(au.Created), LastUpdated: formatTime(au.LastUpdated),
		Scope: au.Scope, Status: "ACTIVE", StatusChanged: formatTime(au.Created), SyncState: sync,
		Credentials: appUserCreds{u.Login()}, Profile: map[string]any{},
		Links: map[string]href{"app": {Href: a.cfg.OrgURL + "/api/v1/apps/" + app.ID},
			"user": {Href: a.cfg.OrgURL + "/api/v1/users/" + au.UserID}}}
}

func (a *API) appGroupJSON(g directory.AppGroup) appGroupJSON {
	return appGroupJSON{ID: g.GroupID, LastUpdated: formatTime(g.LastUpdated), Priority: g.Priority, Profile: map[string]any{},
		Links: map[string]href{"app": {Href: a.cfg.OrgURL + "/api/v1/apps/" + g.AppID},
			"group": {Href: a.cfg.OrgURL + "/api/v1/groups/" + g.GroupID}}}
}

// appUserOut reads the user behind au for its wire form.
func (a *API) appUserOut(ctx context.Context, app directory.App, au directory.AppUser) (appUserJSON, error) {
	u, err := a.cfg.Store.User(ctx, au.UserID)
	return a.appUserJSON(app, au, u), err
}

// appList starts a list under an app: it checks that the caller may read
// the directory, then reads the page (def and max rows) and the app.
func (a *API) appList(r *http.Request, c *caller, def, max int) (directory.App, store.Page, error) {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return directory.App{}, store.Page{}, err
	}
	p, err := page(r, def, max)
	if err != nil {
		return directory.App{}, store.Page{}, err
	}
	app, err := a.app(r)
	return app, p, err
}

// listAppUsers is GET /api/v1/apps/{appId}/users: the effective
// assignments, direct (scope USER) and through groups (scope GROUP).
func (a *API) listAppUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, p, err := a.appList(r, c, 50, 500)
	if err != nil {
		return err
	}
	aus, next, err := a.cfg.Store.ListAppUsers(r.Context(), app.ID, p)
	if err != nil {
		return storePage(err)
	}
	out := make([]appUserJSON, 0, len(aus))
	for _, au := range aus {
		j, err := a.appUserOut(r.Context(), app, au)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	a.writeList(w, r, out, next)
	return nil
}

// check refuses what keyward cannot keep: a GROUP scope (groups are
// assigned on their own route), an app profile, credentials other than
// the login.
func (b appUserBody) check(u directory.User) error {
	var c causes
	if b.Scope != "" && b.Scope != directory.ScopeUser {
		c.add("scope", "Assign a group with PUT /api/v1/apps/{appId}/groups/{groupId}")
	}
	if len(b.Profile) > 0 {
		c.add("profile", "keyward keeps no app-specific profile for SAML apps")
	}
	if b.Credentials != nil && b.Credentials.UserName != "" && b.Credentials.UserName != u.Login() {
		c.add("credentials.userName", "The app user name is the login")
	}
	return c.err()
}

// assignAppUser is POST /api/v1/apps/{appId}/users.
func (a *API) assignAppUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, err := a.app(r)
	if err != nil {
		return err
	}
	var b appUserBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if b.ID == "" {
		return causes{"id: The field cannot be left blank"}.err()
	}
	if !directory.ValidID(b.ID) {
		return notFound(store.ResourceUser, b.ID)
	}
	u, err := a.cfg.Store.User(r.Context(), b.ID)
	if err != nil {
		return err
	}
	if err := b.check(u); err != nil {
		return err
	}
	au, err := a.cfg.Store.AssignUser(r.Context(), app.ID, u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appUserJSON(app, au, u))
	return nil
}

// appUser reads the app and the effective assignment {userId} names.
func (a *API) appUser(r *http.Request) (directory.App, directory.AppUser, directory.User, error) {
	app, err := a.app(r)
	if err != nil {
		return app, directory.AppUser{}, directory.User{}, err
	}
	id := r.PathValue("userId")
	if !directory.ValidID(id) {
		return app, directory.AppUser{}, directory.User{}, notFound(store.ResourceAppUser, id)
	}
	au, err := a.cfg.Store.AppUser(r.Context(), app.ID, id)
	if err != nil {
		return app, au, directory.User{}, err
	}
	u, err := a.cfg.Store.User(r.Context(), id)
	return app, au, u, err
}

// getAppUser is GET /api/v1/apps/{appId}/users/{userId}.
func (a *API) getAppUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	app, au, u, err := a.appUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appUserJSON(app, au, u))
	return nil
}

// updateAppUser is POST /api/v1/apps/{appId}/users/{userId}: with no app
// profile to change, it checks the body and answers the assignment.
func (a *API) updateAppUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, au, u, err := a.appUser(r)
	if err != nil {
		return err
	}
	var b appUserBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if b.ID != "" && b.ID != u.ID {
		return causes{"id: The user of an assignment cannot change"}.err()
	}
	if err := b.check(u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appUserJSON(app, au, u))
	return nil
}

// unassignAppUser is DELETE /api/v1/apps/{appId}/users/{userId}. A person
// assigned only through a group stays until the group's assignment goes.
func (a *API) unassignAppUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, au, _, err := a.appUser(r)
	if err != nil {
		return err
	}
	if _, err := boolParam(r, "sendEmail", false); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if au.Scope == directory.ScopeGroup {
		return causes{"id: The user is assigned through a group; remove the group's assignment instead"}.err()
	}
	if err := a.cfg.Store.UnassignUser(r.Context(), app.ID, au.UserID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listAppGroups is GET /api/v1/apps/{appId}/groups.
func (a *API) listAppGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, p, err := a.appList(r, c, 20, 200)
	if err != nil {
		return err
	}
	gs, next, err := a.cfg.Store.ListAppGroups(r.Context(), app.ID, p)
	if err != nil {
		return storePage(err)
	}
	a.writeList(w, r, each(gs, a.appGroupJSON), next)
	return nil
}

// appGroupIDs reads the app and checks the id {groupId} names.
func (a *API) appGroupIDs(r *http.Request) (directory.App, string, error) {
	app, err := a.app(r)
	if err != nil {
		return app, "", err
	}
	id := r.PathValue("groupId")
	if !directory.ValidID(id) {
		return app, "", notFound(store.ResourceGroup, id)
	}
	return app, id, nil
}

// getAppGroup is GET /api/v1/apps/{appId}/groups/{groupId}.
func (a *API) getAppGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	app, id, err := a.appGroupIDs(r)
	if err != nil {
		return err
	}
	g, err := a.cfg.Store.AppGroup(r.Context(), app.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appGroupJSON(g))
	return nil
}

// assignAppGroup is PUT /api/v1/apps/{appId}/groups/{groupId}; the body
// ({} or {priority}) may be left out.
func (a *API) assignAppGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, id, err := a.appGroupIDs(r)
	if err != nil {
		return err
	}
	var b appGroupBody
	if err := decodeBody(r, &b, false); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	g := directory.AppGroup{AppID: app.ID, GroupID: id}
	var bad causes
	if b.Priority != nil {
		n, err := b.Priority.Int64()
		if err != nil || n < 0 || n > maxPriority {
			bad.add("priority", "Must be a whole number from 0 to 1000")
		}
		g.Priority = int(n)
	}
	if len(b.Profile) > 0 {
		bad.add("profile", "keyward keeps no app-specific profile for SAML apps")
	}
	if err := bad.err(); err != nil {
		return err
	}
	if g, err = a.cfg.Store.AssignGroup(r.Context(), g); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.appGroupJSON(g))
	return nil
}

// unassignAppGroup is DELETE /api/v1/apps/{appId}/groups/{groupId}.
func (a *API) unassignAppGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	app, id, err := a.appGroupIDs(r)
	if err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageApps, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	if err := a.cfg.Store.UnassignGroup(r.Context(), app.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// appLinkJSON is Okta's AssignedAppLink.
type appLinkJSON struct {
	ID               string `json:"id"`
	Label            string `json:"label"`
	LinkURL          string `json:"linkUrl"`
	LogoURL          string `json:"logoUrl"`
	AppName          string `json:"appName"`
	AppInstanceID    string `json:"appInstanceId"`
	AppAssignmentID  string `json:"appAssignmentId"`
	CredentialsSetup bool   `json:"credentialsSetup"`
	Hidden           bool   `json:"hidden"`
	SortOrder        int    `json:"sortOrder"`
}

// appLinks is GET /api/v1/users/{id|me}/appLinks: the user's active apps,
// by label, each with its sign-in URL.
func (a *API) appLinks(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.readableUser(r, c)
	if err != nil {
		return err
	}
	apps, err := a.cfg.Store.UserApps(r.Context(), u.ID)
	if err != nil {
		return err
	}
	out := []appLinkJSON{}
	for _, app := range apps {
		link := a.launchURL(app)
		if app.Status != directory.AppActive || link == "" {
			continue
		}
		out = append(out, appLinkJSON{ID: app.ID, Label: app.Label, LinkURL: link,
			LogoURL: "", AppName: app.Name, AppInstanceID: app.ID, AppAssignmentID: assignmentID(app.ID, u.ID),
			SortOrder: len(out)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// assignmentID is a stable opaque id for the user's assignment to the app
// (Okta's 0ua... id), derived so it needs no storage.
func assignmentID(appID, userID string) string {
	sum := sha256.Sum256([]byte(appID + "/" + userID))
	return "0ua" + hex.EncodeToString(sum[:])[:17]
}
