package oidc

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/keyward/keyward/internal/directory"
)

// reserved are the claims keyward sets itself; a custom claim never
// replaces one.
var reserved = []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "ver", "cid", "uid", "scp", "auth_time",
	"amr", "idp", "nonce", "at_hash", "name", "email", "preferred_username"}

// withCustomClaims is base (a claims struct) with the custom server's
// active claims of claimType that apply to the granted scopes, evaluated
// for the person (Okta's expressions such as user.department, or their
// groups passing a filter). Client credentials tokens have no person and
// get none. Without such claims base is returned as it is.
func (p *Provider) withCustomClaims(ctx context.Context, g grant, claimType string, base any) (any, error) {
	if g.server.custom == nil || g.user == nil {
		return base, nil
	}
	var claims []directory.AuthClaim
	for _, c := range g.server.custom.Claims {
		if c.Status == directory.AppActive && c.ClaimType == claimType && !slices.Contains(reserved, c.Name) &&
			(len(c.Scopes) == 0 || slices.ContainsFunc(c.Scopes, func(sc string) bool { return slices.Contains(g.scopes, sc) })) {
			claims = append(claims, c)
		}
	}
	if len(claims) == 0 {
		return base, nil
	}
	out, err := asMap(base)
	if err != nil {
		return nil, err
	}
	var groups []directory.Group
	for _, c := range claims {
		if c.ValueType == directory.ClaimGroups && groups == nil {
			if groups, err = p.Directory.UserGroups(ctx, g.user.ID); err != nil {
				return nil, err
			}
		}
		if v, ok := claimValue(c, *g.user, groups); ok {
			out[c.Name] = v
		}
	}
	return out, nil
}

// claimValue is one claim's value for u: an expression's one value as a
// string (several as a list), or the names of u's groups that pass the
// filter. An expression with no value leaves the claim out.
func claimValue(c directory.AuthClaim, u directory.User, groups []directory.Group) (any, bool) {
	if c.ValueType == directory.ClaimGroups {
		keep, err := directory.CompileGroupFilter(c.GroupFilter, c.Value)
		if err != nil {
			return nil, false
		}
		names := []string{}
		for _, g := range groups {
			if keep(g.Name) {
				names = append(names, g.Name)
			}
		}
		return names, true
	}
	values := directory.ExpressionValues([]string{c.Value}, u)
	switch len(values) {
	case 0:
		return nil, false
	case 1:
		return values[0], values[0] != ""
	}
	return values, true
}

func asMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}
