package oidc

import (
	"slices"
	"sort"

	"github.com/keyward/keyward/internal/directory"
)

// errPolicy is Okta's answer when no access-policy rule allows a request.
var errPolicy = accessDenied("Policy evaluation failed for this request, please check the policy configurations.")

// request is what an access policy decides on.
type request struct {
	clientID string
	grant    string
	scopes   []string
	userID   string   // "" for client credentials
	groupIDs []string // the person's groups
}

// decide finds the rule of a custom server's access policies that allows
// req: the first active policy (by priority) covering the client, then
// its first active rule (by priority) allowing the grant, every scope and
// the person. The org server has no access policies: its clients' own
// registrations decide.
func decide(s server, req request) (directory.AuthRule, error) {
	if s.custom == nil {
		return directory.AuthRule{}, nil
	}
	for _, pol := range byPriority(s.custom.Policies) {
		if pol.Status != directory.AppActive || !covers(pol.Clients, req.clientID) {
			continue
		}
		rules := slices.Clone(pol.Rules)
		sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
		for _, rule := range rules {
			if rule.Status == directory.AppActive && allows(rule, req) {
				return rule, nil
			}
		}
		// Okta evaluates only the first policy that covers the client.
		return directory.AuthRule{}, errPolicy
	}
	return directory.AuthRule{}, errPolicy
}

func byPriority(ps []directory.AuthPolicy) []directory.AuthPolicy {
	out := slices.Clone(ps)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	return out
}

func covers(clients []string, id string) bool {
	return slices.Contains(clients, directory.AllClients) || slices.Contains(clients, id)
}

func allows(rule directory.AuthRule, req request) bool {
	if !slices.Contains(rule.GrantTypes, req.grant) {
		return false
	}
	if !slices.Contains(rule.Scopes, "*") {
		for _, sc := range req.scopes {
			if !slices.Contains(rule.Scopes, sc) {
				return false
			}
		}
	}
	if req.userID == "" || rule.Everyone || slices.Contains(rule.Users, req.userID) {
		return true
	}
	return slices.ContainsFunc(req.groupIDs, func(g string) bool { return slices.Contains(rule.Groups, g) })
}
