package oktaapi

import (
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// defaultUserType is the id of the one user type keyward has.
const defaultUserType = "default"

// userJSON is Okta's User object.
type userJSON struct {
	ID              string            `json:"id"`
	Status          directory.Status  `json:"status"`
	Created         string            `json:"created"`
	Activated       *string           `json:"activated"`
	StatusChanged   *string           `json:"statusChanged"`
	LastLogin       *string           `json:"lastLogin"`
	LastUpdated     string            `json:"lastUpdated"`
	PasswordChanged *string           `json:"passwordChanged"`
	Type            idJSON            `json:"type"`
	Profile         directory.Profile `json:"profile"`
	Credentials     credentialsJSON   `json:"credentials"`
	Links           map[string]href   `json:"_links"`
}

type idJSON struct {
	ID string `json:"id"`
}

type href struct {
	Href   string `json:"href"`
	Method string `json:"method,omitempty"`
}

type credentialsJSON struct {
	Password *struct{} `json:"password,omitempty"`
	Provider provider  `json:"provider"`
}

type provider struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

func (a *API) userJSON(u directory.User) userJSON {
	out := userJSON{
		ID: u.ID, Status: u.Status, Created: formatTime(u.Created), Activated: nullTime(u.Activated),
		StatusChanged: nullTime(u.StatusChanged), LastLogin: nullTime(u.LastLogin),
		LastUpdated: formatTime(u.LastUpdated), PasswordChanged: nullTime(u.Password.Changed),
		Type: idJSON{defaultUserType}, Profile: u.Profile, Links: a.userLinks(u),
		Credentials: credentialsJSON{Provider: provider{"OKTA", "OKTA"}},
	}
	if out.Profile == nil {
		out.Profile = directory.Profile{}
	}
	if u.Password.Set() {
		out.Credentials.Password = &struct{}{}
	}
	return out
}

func (a *API) usersJSON(users []directory.User) []userJSON { return each(users, a.userJSON) }

// lifecycleLinks are the operations Okta links from a user in each status.
var lifecycleLinks = map[directory.Status][]directory.Op{
	directory.Staged:          {directory.OpActivate, directory.OpDeactivate},
	directory.Provisioned:     {directory.OpReactivate, directory.OpDeactivate},
	directory.Active:          {directory.OpSuspend, directory.OpDeactivate, directory.OpResetPassword, directory.OpExpirePassword},
	directory.Recovery:        {directory.OpResetPassword, directory.OpDeactivate},
	directory.PasswordExpired: {directory.OpResetPassword, directory.OpExpirePassword, directory.OpDeactivate},
	directory.LockedOut:       {directory.OpUnlock, directory.OpResetPassword, directory.OpDeactivate},
	directory.Suspended:       {directory.OpUnsuspend, directory.OpDeactivate},
	directory.Deprovisioned:   {directory.OpActivate},
}

func (a *API) userLinks(u directory.User) map[string]href {
	self := a.cfg.OrgURL + "/api/v1/users/" + u.ID
	links := map[string]href{
		"self": {Href: self},
		"type": {Href: a.cfg.OrgURL + "/api/v1/meta/types/user/" + defaultUserType},
	}
	for _, op := range lifecycleLinks[u.Status] {
		links[linkName(op)] = href{Href: self + "/lifecycle/" + string(op), Method: "POST"}
	}
	return links
}

// linkName is Okta's camel-cased link name of an operation.
func linkName(op directory.Op) string {
	parts := strings.Split(string(op), "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// userRecord exposes a user to search and filter expressions.
type userRecord struct{ u directory.User }

func (r userRecord) Value(path string) (string, bool) {
	v := r.Values(path)
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (r userRecord) Values(path string) []string {
	u := r.u
	if name, ok := strings.CutPrefix(path, "profile."); ok {
		return u.Profile.Texts(name)
	}
	switch path {
	case "id":
		return []string{u.ID}
	case "status":
		return []string{string(u.Status)}
	case "type.id":
		return []string{defaultUserType}
	case "created":
		return []string{formatTime(u.Created)}
	case "lastUpdated":
		return []string{formatTime(u.LastUpdated)}
	}
	times := map[string]*string{"activated": nullTime(u.Activated), "statusChanged": nullTime(u.StatusChanged),
		"lastLogin": nullTime(u.LastLogin), "passwordChanged": nullTime(u.Password.Changed)}
	if t := times[path]; t != nil {
		return []string{*t}
	}
	return nil
}
