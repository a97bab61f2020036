package oktaapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// scopeBody is an OAuth2Scope in a request.
type scopeBody struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	Consent         string `json:"consent"`
	Default         bool   `json:"default"`
	MetadataPublish string `json:"metadataPublish"`
}

// scopeJSON is Okta's OAuth2Scope.
type scopeJSON struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Description     string `json:"description"`
	System          bool   `json:"system"`
	Default         bool   `json:"default"`
	Consent         string `json:"consent"`
	MetadataPublish string `json:"metadataPublish"`
}

var scopePart = part[directory.AuthScope, scopeBody]{
	kind: "scope", param: "scopeId", missing: "OAuth2Scope", newID: directory.NewScopeID,
	items: func(_ *http.Request, s *directory.AuthServer) (*[]directory.AuthScope, error) { return &s.Scopes, nil },
	id:    func(s directory.AuthScope) string { return s.ID },
	setID: func(s *directory.AuthScope, id string) { s.ID = id },
	read:  readScope,
	fixed: func(s directory.AuthScope) error {
		if s.System {
			return (&causes{"name: A system scope (" + s.Name + ") cannot be deleted"}).err()
		}
		return nil
	},
	wire: func(_ *API, _ directory.AuthServer, s directory.AuthScope) any {
		publish := "NO_CLIENTS"
		if s.System {
			publish = "ALL_CLIENTS"
		}
		return scopeJSON{ID: s.ID, Name: s.Name, Description: s.Description, System: s.System, Default: s.Default,
			Consent: s.Consent, MetadataPublish: publish}
	},
}

// readScope checks a scope as Okta does: a unique name without spaces
// that does not start with okta., and a system scope stays as it is.
func readScope(_ context.Context, _ *API, _ directory.AuthServer, scopes []directory.AuthScope, b scopeBody, old *directory.AuthScope) (directory.AuthScope, error) {
	var c causes
	if old != nil && old.System {
		c.add("name", "A system scope ("+old.Name+") cannot be changed")
		return *old, c.err()
	}
	switch {
	case b.Name == "" || len(b.Name) > 300 || !printable(b.Name) || strings.ContainsAny(b.Name, " \"\\"):
		c.add("name", "Must be 1 to 300 printable characters without spaces, quotes or backslashes")
	case strings.HasPrefix(b.Name, "okta."):
		c.add("name", "Scope names starting with okta. are reserved")
	case slices.ContainsFunc(scopes, func(x directory.AuthScope) bool { return x.Name == b.Name && (old == nil || x.ID != old.ID) }):
		c.add("name", "A scope with this name already exists on the authorization server")
	}
	if !validText(b.Description) || len(b.Description) > maxServerText {
		c.add("description", "Must be text of at most 1024 characters")
	}
	if b.Consent == "" {
		b.Consent = "IMPLICIT"
	} else if b.Consent != "IMPLICIT" && b.Consent != "REQUIRED" {
		c.add("consent", "Must be IMPLICIT or REQUIRED")
	}
	if b.MetadataPublish != "" && b.MetadataPublish != "NO_CLIENTS" && b.MetadataPublish != "ALL_CLIENTS" {
		c.add("metadataPublish", "Must be NO_CLIENTS or ALL_CLIENTS")
	}
	return directory.AuthScope{Name: b.Name, Description: b.Description, Consent: b.Consent, Default: b.Default}, c.err()
}

// claimBody is an OAuth2Claim in a request.
type claimBody struct {
	Name                 string `json:"name"`
	Status               string `json:"status"`
	ClaimType            string `json:"claimType"`
	ValueType            string `json:"valueType"`
	Value                string `json:"value"`
	GroupFilterType      string `json:"group_filter_type"`
	AlwaysIncludeInToken *bool  `json:"alwaysIncludeInToken"`
	Conditions           *struct {
		Scopes []string `json:"scopes"`
	} `json:"conditions"`
}

// claimJSON is Okta's OAuth2Claim.
type claimJSON struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	Status               string `json:"status"`
	ClaimType            string `json:"claimType"`
	ValueType            string `json:"valueType"`
	Value                string `json:"value"`
	GroupFilterType      string `json:"group_filter_type,omitempty"`
	AlwaysIncludeInToken bool   `json:"alwaysIncludeInToken"`
	System               bool   `json:"system"`
	Conditions           struct {
		Scopes []string `json:"scopes"`
	} `json:"conditions"`
}

var claimPart = part[directory.AuthClaim, claimBody]{
	kind: "claim", param: "claimId", missing: "OAuth2Claim", newID: directory.NewClaimID,
	items: func(_ *http.Request, s *directory.AuthServer) (*[]directory.AuthClaim, error) { return &s.Claims, nil },
	id:    func(c directory.AuthClaim) string { return c.ID },
	setID: func(c *directory.AuthClaim, id string) { c.ID = id },
	read:  readClaim,
	wire: func(_ *API, _ directory.AuthServer, c directory.AuthClaim) any {
		out := claimJSON{ID: c.ID, Name: c.Name, Status: string(c.Status), ClaimType: c.ClaimType, ValueType: c.ValueType,
			Value: c.Value, GroupFilterType: c.GroupFilter, AlwaysIncludeInToken: c.AlwaysIncludeInToken}
		out.Conditions.Scopes = list(c.Scopes)
		return out
	},
}

// reservedClaims are the claims the provider sets itself.
var reservedClaims = []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "amr", "idp",
	"cid", "uid", "scp", "at_hash", "c_hash", "ver", "acr", "azp", "sid"}

// readClaim checks a claim as Okta does.
func readClaim(_ context.Context, _ *API, s directory.AuthServer, claims []directory.AuthClaim, b claimBody, old *directory.AuthClaim) (directory.AuthClaim, error) {
	var c causes
	out := directory.AuthClaim{Name: b.Name, Status: directory.AppStatus(b.Status), ClaimType: b.ClaimType,
		ValueType: b.ValueType, Value: b.Value, GroupFilter: b.GroupFilterType, AlwaysIncludeInToken: true}
	switch {
	case b.Name == "" || len(b.Name) > 100 || !printable(b.Name) || strings.ContainsAny(b.Name, " \"\\"):
		c.add("name", "Must be 1 to 100 printable characters without spaces, quotes or backslashes")
	case slices.Contains(reservedClaims, b.Name):
		c.add("name", "The claim "+b.Name+" is reserved: the authorization server sets it")
	case slices.ContainsFunc(claims, func(x directory.AuthClaim) bool {
		return x.Name == b.Name && x.ClaimType == b.ClaimType && (old == nil || x.ID != old.ID)
	}):
		c.add("name", "A claim with this name and type already exists on the authorization server")
	}
	if out.Status == "" {
		out.Status = directory.AppActive
	} else if out.Status != directory.AppActive && out.Status != directory.AppInactive {
		c.add("status", "Must be ACTIVE or INACTIVE")
	}
	if b.ClaimType != directory.ClaimResource && b.ClaimType != directory.ClaimIdentity {
		c.add("claimType", "Must be RESOURCE (access tokens) or IDENTITY (ID tokens)")
	}
	checkClaimValue(&out, &c)
	if b.AlwaysIncludeInToken != nil {
		out.AlwaysIncludeInToken = *b.AlwaysIncludeInToken
	}
	if b.Conditions != nil {
		out.Scopes = b.Conditions.Scopes
	}
	for _, name := range out.Scopes {
		if !slices.ContainsFunc(s.Scopes, func(x directory.AuthScope) bool { return x.Name == name }) {
			c.add("conditions.scopes", "Each must be a scope of the authorization server; not "+quoteOrBlank(name))
			break
		}
	}
	return out, c.err()
}

// checkClaimValue checks the value against its type.
func checkClaimValue(out *directory.AuthClaim, c *causes) {
	if out.Value == "" || !validText(out.Value) || len(out.Value) > maxServerText {
		c.add("value", "Must be an expression or group filter of 1 to 1024 characters")
	}
	switch out.ValueType {
	case directory.ClaimExpression:
		if out.GroupFilter != "" {
			c.add("group_filter_type", "Only a GROUPS claim has a group filter")
		}
	case directory.ClaimGroups:
		filters := []string{directory.FilterStartsWith, directory.FilterEquals, directory.FilterContains, directory.FilterRegex}
		if !slices.Contains(filters, out.GroupFilter) {
			c.add("group_filter_type", "Must be STARTS_WITH, EQUALS, CONTAINS or REGEX")
		}
	default:
		c.add("valueType", "Must be EXPRESSION or GROUPS")
	}
}
