package oktaapi

import (
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// groupJSON is Okta's Group object.
type groupJSON struct {
	ID                    string              `json:"id"`
	Created               string              `json:"created"`
	LastUpdated           string              `json:"lastUpdated"`
	LastMembershipUpdated string              `json:"lastMembershipUpdated"`
	ObjectClass           []string            `json:"objectClass"`
	Type                  directory.GroupType `json:"type"`
	Profile               groupProfile        `json:"profile"`
	Links                 map[string]href     `json:"_links"`
}

type groupProfile struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type groupBody struct {
	Profile *groupProfile `json:"profile"`
}

func (a *API) groupJSON(g directory.Group) groupJSON {
	self := a.cfg.OrgURL + "/api/v1/groups/" + g.ID
	return groupJSON{
		ID: g.ID, Created: formatTime(g.Created), LastUpdated: formatTime(g.LastUpdated),
		LastMembershipUpdated: formatTime(g.LastMembershipUpdated), ObjectClass: []string{"okta:user_group"},
		Type: g.Type, Profile: groupProfile{g.Name, g.Description},
		Links: map[string]href{"self": {Href: self}, "users": {Href: self + "/users"}, "apps": {Href: self + "/apps"}},
	}
}

func (a *API) groupsJSON(groups []directory.Group) []groupJSON { return each(groups, a.groupJSON) }

func (b groupBody) group() (directory.Group, error) {
	if b.Profile == nil {
		return directory.Group{}, errs.E(errs.Invalid, "profile: required")
	}
	g := directory.Group{Type: directory.OktaGroup, Name: b.Profile.Name, Description: b.Profile.Description}
	return g, directory.ValidateGroup(g)
}

// createGroup is POST /api/v1/groups.
func (a *API) createGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b groupBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageGroups, directory.Scope{OrgWide: true}); err != nil {
		return err
	}
	g, err := b.group()
	if err != nil {
		return err
	}
	if g, err = a.cfg.Store.CreateGroup(r.Context(), g); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.groupJSON(g))
	return nil
}

// getGroup is GET /api/v1/groups/{groupId}.
func (a *API) getGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	g, err := a.group(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.groupJSON(g))
	return nil
}

func (a *API) group(r *http.Request) (directory.Group, error) {
	id := r.PathValue("groupId")
	if !directory.ValidID(id) {
		return directory.Group{}, notFound(store.ResourceGroup, id)
	}
	return a.cfg.Store.Group(r.Context(), id)
}

// listGroups is GET /api/v1/groups with q, filter or search.
func (a *API) listGroups(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	q := r.URL.Query()
	keep, paged, err := groupQuery(q.Get("q"), q.Get("filter"), q.Get("search"))
	if err != nil {
		return err
	}
	def := 10000
	if !paged {
		def = 300
	}
	p, err := page(r, def, 10000)
	if err != nil {
		return err
	}
	groups, next, err := a.cfg.Store.ListGroups(r.Context(), store.GroupQuery{Keep: keep}, p)
	if err != nil {
		return storePage(err)
	}
	if !paged {
		next = ""
	}
	a.writeList(w, r, a.groupsJSON(groups), next)
	return nil
}

func groupQuery(qs, filter, search string) (func(directory.Group) bool, bool, error) {
	if countSet(qs, filter, search) > 1 {
		return nil, false, errs.E(errs.Invalid, "use only one of q, filter and search")
	}
	param, expr, grammar := "search", search, directory.GroupSearch()
	if filter != "" {
		param, expr, grammar = "filter", filter, directory.GroupFilter()
	}
	if expr != "" {
		e, err := directory.Parse(expr, grammar)
		if err != nil {
			return nil, false, errs.E(errs.Invalid, "%s: %s", param, messageOf(err))
		}
		return func(g directory.Group) bool { return e.Match(groupRecord{g}) }, true, nil
	}
	prefix := strings.ToLower(qs)
	return func(g directory.Group) bool { return strings.HasPrefix(strings.ToLower(g.Name), prefix) }, qs == "", nil
}

// groupRecord exposes a group to search and filter expressions.
type groupRecord struct{ g directory.Group }

func (r groupRecord) Value(path string) (string, bool) {
	g := r.g
	v, ok := map[string]string{
		"id": g.ID, "type": string(g.Type), "profile.name": g.Name, "profile.description": g.Description,
		"created": formatTime(g.Created), "lastUpdated": formatTime(g.LastUpdated),
		"lastMembershipUpdated": formatTime(g.LastMembershipUpdated),
	}[path]
	return v, ok && v != ""
}

// replaceGroup is PUT /api/v1/groups/{groupId}.
func (a *API) replaceGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b groupBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	next, err := b.group()
	if err != nil {
		return err
	}
	old, err := a.group(r)
	if err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageGroups, directory.Scope{Groups: []string{old.ID}}); err != nil {
		return err
	}
	g, err := a.cfg.Store.UpdateGroup(r.Context(), old.ID, func(g directory.Group) (directory.Group, error) {
		if g.Type != directory.OktaGroup {
			return g, errBuiltIn()
		}
		g.Name, g.Description = next.Name, next.Description
		return g, nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.groupJSON(g))
	return nil
}

func errBuiltIn() error {
	return errs.E(errs.Denied, "You do not have permission to perform the requested action").WithCode(codeDenied)
}

// deleteGroup is DELETE /api/v1/groups/{groupId}.
func (a *API) deleteGroup(w http.ResponseWriter, r *http.Request, c *caller) error {
	g, err := a.group(r)
	if err != nil {
		return err
	}
	if err := a.allow(r, c, directory.ManageGroups, directory.Scope{Groups: []string{g.ID}}); err != nil {
		return err
	}
	if g.Type != directory.OktaGroup {
		return errBuiltIn()
	}
	if err := a.cfg.Store.DeleteGroup(r.Context(), g.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
