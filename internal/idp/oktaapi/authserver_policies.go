package oktaapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// include is Okta's {"include": [...]} condition.
type include struct {
	Include []string `json:"include"`
}

// policyBody is an AuthorizationServerPolicy in a request.
type policyBody struct {
	Type        string `json:"type"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Priority    *int   `json:"priority"`
	Conditions  *struct {
		Clients *include `json:"clients"`
	} `json:"conditions"`
}

// policyJSON is Okta's AuthorizationServerPolicy.
type policyJSON struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Priority    int    `json:"priority"`
	System      bool   `json:"system"`
	Conditions  struct {
		Clients include `json:"clients"`
	} `json:"conditions"`
}

const policyType = "OAUTH_AUTHORIZATION_POLICY"

var policyPart = part[directory.AuthPolicy, policyBody]{
	kind: "policy", param: "policyId", missing: "AuthorizationServerPolicy", newID: directory.NewPolicyID,
	items: func(_ *http.Request, s *directory.AuthServer) (*[]directory.AuthPolicy, error) {
		return &s.Policies, nil
	},
	id:    func(p directory.AuthPolicy) string { return p.ID },
	setID: func(p *directory.AuthPolicy, id string) { p.ID = id },
	read:  readPolicy,
	order: func(x, y directory.AuthPolicy) int { return x.Priority - y.Priority },
	wire: func(_ *API, _ directory.AuthServer, p directory.AuthPolicy) any {
		out := policyJSON{Type: policyType, ID: p.ID, Name: p.Name, Description: p.Description,
			Status: string(p.Status), Priority: p.Priority}
		out.Conditions.Clients.Include = list(p.Clients)
		return out
	},
}

// readPolicy checks a policy as Okta does; its clients are ALL_CLIENTS or
// OIDC apps' client ids. A replace keeps the policy's rules.
func readPolicy(ctx context.Context, a *API, _ directory.AuthServer, policies []directory.AuthPolicy, b policyBody, old *directory.AuthPolicy) (directory.AuthPolicy, error) {
	var c causes
	out := directory.AuthPolicy{Name: b.Name, Description: b.Description, Status: directory.AppStatus(b.Status)}
	oldPriority := 0
	if old != nil {
		out.Rules, oldPriority = old.Rules, old.Priority
	}
	if b.Type != "" && b.Type != policyType {
		c.add("type", "Must be "+policyType)
	}
	checkPartName(&c, b.Name, slices.ContainsFunc(policies, func(x directory.AuthPolicy) bool {
		return x.Name == b.Name && (old == nil || x.ID != old.ID)
	}))
	if b.Description == "" || !validText(b.Description) || len(b.Description) > maxServerText {
		c.add("description", "Must be text of 1 to 1024 characters")
	}
	out.Status = partStatus(&c, out.Status)
	out.Priority = priority(&c, b.Priority, len(policies), oldPriority)
	if b.Conditions == nil || b.Conditions.Clients == nil || len(b.Conditions.Clients.Include) == 0 {
		c.add("conditions.clients.include", "Name the clients: [\"ALL_CLIENTS\"] or OIDC apps' client ids")
	} else if len(c) == 0 {
		out.Clients = b.Conditions.Clients.Include
		if err := a.checkClients(ctx, out.Clients, &c); err != nil {
			return out, err
		}
	}
	return out, c.err()
}

// checkClients adds a cause unless every id is ALL_CLIENTS or an OIDC app.
func (a *API) checkClients(ctx context.Context, ids []string, c *causes) error {
	if len(ids) > maxURIs {
		c.add("conditions.clients.include", "At most 100 clients")
		return nil
	}
	for _, id := range ids {
		if id == directory.AllClients && len(ids) == 1 {
			continue
		}
		app, err := a.oidcClient(ctx, id)
		if err != nil || app.SignOnMode != directory.OIDC {
			c.add("conditions.clients.include", "Each must be an OIDC app's client id, or ALL_CLIENTS alone; not "+quoteOrBlank(id))
			return err
		}
	}
	return nil
}

// oidcClient reads the app a client id names; a missing one is a zero app.
func (a *API) oidcClient(ctx context.Context, id string) (directory.App, error) {
	if !directory.ValidID(id) {
		return directory.App{}, nil
	}
	app, err := a.cfg.Store.App(ctx, id)
	if errs.KindOf(err) == errs.NotFound {
		return directory.App{}, nil
	}
	return app, err
}

// checkPartName checks a policy's or rule's name.
func checkPartName(c *causes, name string, taken bool) {
	switch {
	case name == "" || !printable(name) || len([]rune(name)) > maxServerName:
		c.add("name", "Must be text of 1 to 100 characters")
	case taken:
		c.add("name", "One with this name already exists here")
	}
}

// partStatus checks a policy's or rule's status: ACTIVE unless given.
func partStatus(c *causes, s directory.AppStatus) directory.AppStatus {
	switch s {
	case "":
		return directory.AppActive
	case directory.AppActive, directory.AppInactive:
		return s
	}
	c.add("status", "Must be ACTIVE or INACTIVE")
	return s
}

// priority checks a priority, from 1: without one a replaced part keeps
// its old one (old > 0) and a new one goes after the last of n.
func priority(c *causes, p *int, n, old int) int {
	switch {
	case p == nil && old > 0:
		return old
	case p == nil:
		return n + 1
	case *p < 1 || *p > 1000:
		c.add("priority", "Must be between 1 and 1000")
	}
	return *p
}
