package oktaapi

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// everyone is how a rule names every person (Okta's Everyone group).
const everyone = "EVERYONE"

// ruleBody is an AuthorizationServerPolicyRule in a request.
type ruleBody struct {
	Type       string         `json:"type"`
	Name       string         `json:"name"`
	Status     string         `json:"status"`
	Priority   *int           `json:"priority"`
	Conditions ruleConditions `json:"conditions"`
	Actions    struct {
		Token tokenAction `json:"token"`
	} `json:"actions"`
}

type ruleConditions struct {
	People *struct {
		Users  *include `json:"users"`
		Groups *include `json:"groups"`
	} `json:"people"`
	GrantTypes *include `json:"grantTypes"`
	Scopes     *include `json:"scopes"`
}

// tokenAction is a rule's token lifetimes in minutes.
type tokenAction struct {
	AccessTokenLifetimeMinutes  *int `json:"accessTokenLifetimeMinutes"`
	RefreshTokenLifetimeMinutes *int `json:"refreshTokenLifetimeMinutes"`
	RefreshTokenWindowMinutes   *int `json:"refreshTokenWindowMinutes"`
}

// ruleJSON is Okta's AuthorizationServerPolicyRule.
type ruleJSON struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Priority   int    `json:"priority"`
	System     bool   `json:"system"`
	Conditions struct {
		People struct {
			Users  include `json:"users"`
			Groups include `json:"groups"`
		} `json:"people"`
		GrantTypes include `json:"grantTypes"`
		Scopes     include `json:"scopes"`
	} `json:"conditions"`
	Actions struct {
		Token tokenAction `json:"token"`
	} `json:"actions"`
}

const ruleType = "RESOURCE_ACCESS"

var rulePart = part[directory.AuthRule, ruleBody]{
	kind: "policy.rule", param: "ruleId", missing: "AuthorizationServerPolicyRule", newID: directory.NewRuleID,
	items: policyRules,
	id:    func(r directory.AuthRule) string { return r.ID },
	setID: func(r *directory.AuthRule, id string) { r.ID = id },
	read:  readRule,
	order: func(x, y directory.AuthRule) int { return x.Priority - y.Priority },
	wire:  func(_ *API, _ directory.AuthServer, r directory.AuthRule) any { return ruleOut(r) },
}

// policyRules finds the rules of the policy {policyId} names.
func policyRules(r *http.Request, s *directory.AuthServer) (*[]directory.AuthRule, error) {
	i, err := policyPart.find(r, s.Policies)
	if err != nil {
		return nil, err
	}
	return &s.Policies[i].Rules, nil
}

func ruleOut(r directory.AuthRule) ruleJSON {
	out := ruleJSON{Type: ruleType, ID: r.ID, Name: r.Name, Status: string(r.Status), Priority: r.Priority}
	out.Conditions.People.Users.Include, out.Conditions.People.Groups.Include = list(r.Users), list(r.Groups)
	if r.Everyone {
		out.Conditions.People.Groups.Include = []string{everyone}
	}
	out.Conditions.GrantTypes.Include, out.Conditions.Scopes.Include = list(r.GrantTypes), list(r.Scopes)
	access, refresh, window := minutes(r.AccessTokenLifetime), minutes(r.RefreshTokenLifetime), minutes(r.RefreshTokenWindow)
	out.Actions.Token = tokenAction{&access, &refresh, &window}
	return out
}

func minutes(d time.Duration) int { return int(d / time.Minute) }

// ruleGrants are the grant types a rule may name.
var ruleGrants = []string{directory.GrantAuthorizationCode, directory.GrantClientCredentials, directory.GrantImplicit,
	directory.GrantPassword, directory.GrantDeviceCode, directory.GrantTokenExchange}

// readRule checks a rule as Okta does: known grant types, the server's
// scopes (or *), existing people and groups, lifetimes in Okta's ranges.
func readRule(ctx context.Context, a *API, s directory.AuthServer, rules []directory.AuthRule, b ruleBody, old *directory.AuthRule) (directory.AuthRule, error) {
	var c causes
	oldPriority := 0
	if old != nil {
		oldPriority = old.Priority
	}
	out := directory.AuthRule{Name: b.Name, Status: partStatus(&c, directory.AppStatus(b.Status))}
	if b.Type != "" && b.Type != ruleType {
		c.add("type", "Must be "+ruleType)
	}
	checkPartName(&c, b.Name, slices.ContainsFunc(rules, func(x directory.AuthRule) bool {
		return x.Name == b.Name && (old == nil || x.ID != old.ID)
	}))
	out.Priority = priority(&c, b.Priority, len(rules), oldPriority)
	out.GrantTypes = includes(b.Conditions.GrantTypes)
	if len(out.GrantTypes) == 0 || slices.ContainsFunc(out.GrantTypes, func(g string) bool { return !slices.Contains(ruleGrants, g) }) {
		c.add("conditions.grantTypes.include", "Name one or more of authorization_code, client_credentials, implicit, password, device code, token exchange")
	}
	out.Scopes = includes(b.Conditions.Scopes)
	for _, name := range out.Scopes {
		if name != "*" && !slices.ContainsFunc(s.Scopes, func(x directory.AuthScope) bool { return x.Name == name }) {
			c.add("conditions.scopes.include", "Each must be * or a scope of the authorization server; not "+quoteOrBlank(name))
			break
		}
	}
	if len(out.Scopes) == 0 {
		c.add("conditions.scopes.include", "Name the scopes the rule grants, or *")
	}
	readLifetimes(&out, b.Actions.Token, &c)
	if err := a.readPeople(ctx, &out, b.Conditions, &c); err != nil {
		return out, err
	}
	return out, c.err()
}

func includes(in *include) []string {
	if in == nil {
		return nil
	}
	return in.Include
}

// readLifetimes reads the token lifetimes: access 5 to 1440 minutes (60
// by default), refresh unlimited (0) or at least the access lifetime, and
// a refresh window of 5 minutes to 5 years (7 days by default).
func readLifetimes(out *directory.AuthRule, t tokenAction, c *causes) {
	access, refresh, window := 60, 0, 7*24*60
	for _, v := range []struct {
		in  *int
		out *int
	}{{t.AccessTokenLifetimeMinutes, &access}, {t.RefreshTokenLifetimeMinutes, &refresh}, {t.RefreshTokenWindowMinutes, &window}} {
		if v.in != nil {
			*v.out = *v.in
		}
	}
	const fiveYears = 5 * 365 * 24 * 60
	switch {
	case access < 5 || access > 1440:
		c.add("actions.token.accessTokenLifetimeMinutes", "Must be between 5 and 1440")
	case refresh != 0 && (refresh < access || refresh > fiveYears):
		c.add("actions.token.refreshTokenLifetimeMinutes", "Must be 0 (unlimited) or between the access token lifetime and 5 years")
	case window < 5 || window > fiveYears || (refresh != 0 && window > refresh):
		c.add("actions.token.refreshTokenWindowMinutes", "Must be between 5 minutes and the refresh token lifetime (5 years at most)")
	}
	out.AccessTokenLifetime = time.Duration(access) * time.Minute
	out.RefreshTokenLifetime = time.Duration(refresh) * time.Minute
	out.RefreshTokenWindow = time.Duration(window) * time.Minute
}

// readPeople reads who the rule covers: EVERYONE, or existing users and
// groups by id.
func (a *API) readPeople(ctx context.Context, out *directory.AuthRule, in ruleConditions, c *causes) error {
	if in.People != nil {
		out.Users, out.Groups = includes(in.People.Users), includes(in.People.Groups)
	}
	if i := slices.Index(out.Groups, everyone); i >= 0 {
		out.Everyone, out.Groups = true, slices.Delete(slices.Clone(out.Groups), i, i+1)
	}
	if !out.Everyone && len(out.Users) == 0 && len(out.Groups) == 0 {
		c.add("conditions.people", "Name the people: groups [\"EVERYONE\"], or users and groups by id")
	}
	if len(out.Users)+len(out.Groups) > maxURIs {
		c.add("conditions.people", "At most 100 users and groups")
		return nil
	}
	for _, id := range out.Users {
		if err := a.exists(ctx, id, func(ctx context.Context, id string) error { _, err := a.cfg.Store.User(ctx, id); return err }); err != nil {
			return ignoreMissing(err, c, "conditions.people.users.include", id)
		}
	}
	for _, id := range out.Groups {
		if err := a.exists(ctx, id, func(ctx context.Context, id string) error { _, err := a.cfg.Store.Group(ctx, id); return err }); err != nil {
			return ignoreMissing(err, c, "conditions.people.groups.include", id)
		}
	}
	return nil
}

// exists reads id with read, a malformed id being missing.
func (a *API) exists(ctx context.Context, id string, read func(context.Context, string) error) error {
	if !directory.ValidID(id) {
		return notFound(store.ResourceUser, id)
	}
	return read(ctx, id)
}

// ignoreMissing turns a not-found into a cause and returns other errors.
func ignoreMissing(err error, c *causes, field, id string) error {
	if errs.KindOf(err) != errs.NotFound {
		return err
	}
	c.add(field, "No such one: "+quoteOrBlank(id))
	return nil
}
